"""PyTorch side of the side-by-side benchmark (native, CPU): the same two
models, batches and optimiser as bench/vaebench. Prints one JSON object per
result. Run with Debian's python3-torch and OpenBLAS first on
LD_LIBRARY_PATH (bench/run.sh does), else Debian's torch uses the reference
BLAS and the comparison flatters us.

    python3 bench/torch_bench.py SECONDS THREADS
"""
import json
import math
import sys
import time

import torch

seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 3.0
threads = int(sys.argv[2]) if len(sys.argv) > 2 else 1
torch.set_num_threads(threads)


def mlp(sizes, act):
    layers = []
    for i in range(len(sizes) - 1):
        layers.append(torch.nn.Linear(sizes[i], sizes[i + 1]))
        if i < len(sizes) - 2:
            layers.append(act())
    return torch.nn.Sequential(*layers)


class VAE(torch.nn.Module):
    """2-D latent, Gaussian encoder, standard normal prior (analytic KL)."""

    def __init__(self, data_dim, hidden, act, likelihood):
        super().__init__()
        self.enc = mlp([data_dim, *hidden, 4], act)
        self.dec = mlp([2, *hidden, data_dim], act)
        self.likelihood = likelihood
        self.logvar_x = torch.nn.Parameter(torch.zeros(1, data_dim))

    def loss(self, x):
        h = self.enc(x)
        mu, lv = h[:, :2], h[:, 2:]
        z = mu + torch.exp(0.5 * lv) * torch.randn_like(mu)
        out = self.dec(z)
        if self.likelihood == "bernoulli":
            nll = torch.nn.functional.binary_cross_entropy_with_logits(out, x, reduction="none").sum(1)
        else:
            d = x - out
            nll = 0.5 * (math.log(2 * math.pi) + self.logvar_x + d * d * torch.exp(-self.logvar_x)).sum(1)
        kl = -0.5 * (1 + lv - mu * mu - torch.exp(lv)).sum(1)
        return (nll + kl).mean()


def train_rate(model, x):
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)

    def step():
        opt.zero_grad(set_to_none=False)
        loss = model.loss(x)
        loss.backward()
        opt.step()
        return loss.item()

    for _ in range(10):
        step()
    steps, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        for _ in range(10):
            step()
        steps += 10
    return steps / (time.perf_counter() - start)


def emit(name, rate, dtype):
    print(json.dumps({"impl": "torch", "runtime": "native", "backend": f"openblas/{dtype}",
                      "kind": "train", "case": name, "rate": rate, "threads": threads}), flush=True)


torch.manual_seed(0)
for dtype in (torch.float64, torch.float32):
    torch.set_default_dtype(dtype)
    label = "f64" if dtype == torch.float64 else "f32"
    image = (torch.rand(128, 784) < 0.2).to(dtype)
    emit("image", train_rate(VAE(784, [256], torch.nn.ReLU, "bernoulli"), image), label)
    points = torch.randn(256, 2)
    emit("2d", train_rate(VAE(2, [64, 64], torch.nn.Tanh, "gaussian"), points), label)
