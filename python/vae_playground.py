#!/usr/bin/python3
"""The VAE playground's models in PyTorch.

A model exported by the playground (``vae export -model m.vae -out
m.safetensors``, or "Save for PyTorch") loads as a ``torch.nn.Module`` in
float64 that computes what the Go engine computes: the encoder q(z|x) =
N(mu, diag exp(logvar)) with the log-variance clamped to [-12, 8], the
Bernoulli (from logits) or Gaussian decoder, the prior's log-density
(standard, learnable Gaussian, mixture, VampPrior, or a planar/radial flow in
the engine's exact parametrisation) and a posterior flow (shared or amortised
by the encoder), and the one-sample ELBO for given noise. Its state_dict has
the file's tensor names, so it can be trained further here and saved back
(``save``) for the playground to load.

    import torch, vae_playground as vp
    model = vp.load("m.safetensors")          # a VAE (torch.nn.Module), float64
    mu, logvar = model.encode(x)              # x: n x D float64 tensor
    probs = model.decode(z)                   # E[x|z]: probabilities or means
    elbo = model.elbo(x, eps)                 # per row, with z0 = mu + exp(logvar/2) * eps
    model.save("m2.safetensors")              # the playground imports it

Bayesian layers (the config's "bayes") compute with their mean weights, as
the playground's views do; their rho tensors are carried through unchanged.
The two-stage prior is not exported by the playground.

Debian's python3-torch provides torch (1.13 on bookworm). Run this file with
/usr/bin/python3: a python3 found earlier on PATH (pyenv, a venv) may lack
torch. The safetensors format is read and written here by hand (the
``safetensors`` package is not needed): an 8-byte little-endian header length,
a JSON header, the raw little-endian tensors.

Command line (what the playground's tests drive):

    /usr/bin/python3 vae_playground.py info MODEL.safetensors
    /usr/bin/python3 vae_playground.py jobs JOBS.json

JOBS.json is a list of {"model", "inputs", "outputs", and optionally "steps",
"lr", "save"}: the inputs file holds x (n x D), eps (n x d) and z (m x d);
with steps > 0 the model first takes that many SGD steps on -mean ELBO(x,
eps) and is saved to "save"; then mu, logvar, decoded (decode(z)), elbo,
recon, kl and prior_logp (log p(z)) are written to the outputs file.
"""

import json
import math
import struct
import sys

import torch
from torch import nn

DTYPE = torch.float64
FORMAT_VERSION = "1"  # the "vae_playground" metadata value
LOG_2PI = math.log(2 * math.pi)
MIN_LOGVAR, MAX_LOGVAR = -12.0, 8.0  # the engine's clamp of every log-variance
PLANAR_SLACK = 1e-9  # keeps 1 + w.u_hat > 0 after rounding (core/flow_planar.go)
LEAKY_SLOPE = 0.01
MAX_HEADER = 100 << 20

# --- safetensors, by hand -------------------------------------------------

_SIZES = {"BOOL": 1, "U8": 1, "I8": 1, "F8_E5M2": 1, "F8_E4M3": 1, "I16": 2, "U16": 2,
          "F16": 2, "BF16": 2, "I32": 4, "U32": 4, "F32": 4, "F64": 8, "I64": 8, "U64": 8}


def _no_duplicates(pairs):
    out = {}
    for k, v in pairs:
        if k in out:
            raise ValueError("safetensors: key %r appears twice in the header" % k)
        out[k] = v
    return out


def read_safetensors(path):
    """Returns ({name: float64 tensor}, metadata) of a safetensors file (F64 or F32)."""
    with open(path, "rb") as f:
        b = f.read()
    if len(b) < 8:
        raise ValueError("safetensors: shorter than the header length")
    (n,) = struct.unpack("<Q", b[:8])
    if n > MAX_HEADER or 8 + n > len(b):
        raise ValueError("safetensors: header of %d bytes" % n)
    raw = b[8:8 + n]
    if raw[:1] != b"{":
        raise ValueError("safetensors: header does not start with '{'")
    text = raw.decode("utf-8")
    header, end = json.JSONDecoder(object_pairs_hook=_no_duplicates).raw_decode(text)
    if not isinstance(header, dict) or text[end:].strip(" "):
        raise ValueError("safetensors: the header is one JSON object, padded only with spaces")
    meta = header.pop("__metadata__", None)
    if meta is not None and not all(isinstance(k, str) and isinstance(v, str) for k, v in meta.items()):
        raise ValueError("safetensors: metadata values must be strings")
    data = b[8 + n:]
    tensors, spans = {}, []
    for name, info in header.items():
        dtype, shape, (begin, end) = info["dtype"], info["shape"], info["data_offsets"]
        count = 1
        for s in shape:
            count *= s
        if dtype not in _SIZES or end - begin != count * _SIZES[dtype] or not 0 <= begin <= end <= len(data):
            raise ValueError("safetensors: tensor %r: bad dtype, shape or offsets" % name)
        spans.append((begin, end))
        chunk = data[begin:end]
        if dtype == "F64":
            vals = struct.unpack("<%dd" % count, chunk)
        elif dtype == "F32":
            vals = struct.unpack("<%df" % count, chunk)
        else:
            raise ValueError("safetensors: tensor %r holds %s, want F64 or F32" % (name, dtype))
        tensors[name] = torch.tensor(vals, dtype=DTYPE).reshape(shape)
    pos = 0
    for begin, end in sorted(spans):
        if begin != pos:
            raise ValueError("safetensors: tensor ranges do not tile the buffer")
        pos = end
    if pos != len(data):
        raise ValueError("safetensors: %d bytes after the last tensor" % (len(data) - pos))
    return tensors, meta


def write_safetensors(path, tensors, metadata=None):
    """Writes {name: tensor} as F64 in the given order, metadata first, the
    header padded with spaces to a multiple of 8 bytes."""
    header, chunks, off = {}, [], 0
    if metadata is not None:
        header["__metadata__"] = {str(k): str(v) for k, v in metadata.items()}
    for name, t in tensors.items():
        t = t.detach().to(DTYPE).contiguous()
        vals = t.reshape(-1).tolist()
        chunk = struct.pack("<%dd" % len(vals), *vals)
        header[name] = {"dtype": "F64", "shape": list(t.shape), "data_offsets": [off, off + len(chunk)]}
        chunks.append(chunk)
        off += len(chunk)
    h = json.dumps(header, separators=(",", ":")).encode("utf-8")
    h += b" " * (-len(h) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)))
        f.write(h)
        for c in chunks:
            f.write(c)


# --- the engine's numerics ------------------------------------------------

def softplus(x):
    """log(1 + e^x) as the engine computes it (torch's softplus switches to x
    above 20, 2e-9 away)."""
    return torch.relu(x) + torch.log1p(torch.exp(-torch.abs(x)))


def activation(name):
    if name == "identity":
        return lambda x: x
    if name == "relu":
        return torch.relu
    if name == "leaky-relu":
        return lambda x: torch.where(x < 0, x * LEAKY_SLOPE, x)
    if name == "tanh":
        return torch.tanh
    if name == "softplus":
        return softplus
    if name == "elu":
        return lambda x: torch.where(x < 0, torch.expm1(torch.clamp(x, max=0.0)), x)
    raise ValueError("unknown activation %r" % name)


def clamp_logvar(v):
    # No gradient past the clamp, as in the engine.
    return torch.clamp(v, MIN_LOGVAR, MAX_LOGVAR)


def gaussian_log_density(z, mu, logvar):
    """log N(z; mu, diag exp(logvar)) summed over the last dimension."""
    return -0.5 * (LOG_2PI + logvar + (z - mu) ** 2 * torch.exp(-logvar)).sum(-1)


def _safe_norm(v):
    # ||v|| with gradient 0 at v = 0 (the engine's choice), not NaN.
    r2 = (v * v).sum(-1)
    pos = r2 > 0
    return torch.where(pos, torch.sqrt(torch.where(pos, r2, torch.ones_like(r2))), torch.zeros_like(r2))


# --- networks --------------------------------------------------------------

class BayesLinear(nn.Module):
    """A mean-field Gaussian layer, used with its mean weights; weight_rho and
    bias_rho (sigma = softplus(rho)) are carried, not trained."""

    def __init__(self, n_in, n_out):
        super().__init__()
        self.weight = nn.Parameter(torch.zeros(n_out, n_in, dtype=DTYPE))
        self.bias = nn.Parameter(torch.zeros(n_out, dtype=DTYPE))
        self.weight_rho = nn.Parameter(torch.zeros(n_out, n_in, dtype=DTYPE), requires_grad=False)
        self.bias_rho = nn.Parameter(torch.zeros(n_out, dtype=DTYPE), requires_grad=False)

    def forward(self, x):
        return x @ self.weight.T + self.bias


class MLP(nn.Module):
    """Linear layers with the activation between them (not after the last)."""

    def __init__(self, sizes, act, bayes=False):
        super().__init__()
        make = BayesLinear if bayes else (lambda i, o: nn.Linear(i, o, dtype=DTYPE))
        self.layers = nn.ModuleList(make(sizes[i], sizes[i + 1]) for i in range(len(sizes) - 1))
        self.act = activation(act)

    def forward(self, x):
        for i, layer in enumerate(self.layers):
            x = layer(x)
            if i + 1 < len(self.layers):
                x = self.act(x)
        return x


# --- flow layers: theta rows (n x P, or 1 x P shared) -------------------------

class Planar:
    """f(z) = z + u_hat tanh(w.z + b), u_hat = u + (m(w.u) - w.u) w / |w|^2,
    m(x) = -1 + softplus(x) (+ the engine's 1e-9 slack); theta = (u, w, b)."""

    fields = (("u", None), ("w", None), ("b", 1))

    def __init__(self, d):
        self.d = d
        self.params = 2 * d + 1

    def split(self, theta):
        d = self.d
        return theta[:, :d], theta[:, d:2 * d], theta[:, 2 * d]

    def forward(self, z, theta):
        u, w, b = self.split(theta)
        s = (w * u).sum(-1)
        nw = (w * w).sum(-1)
        one_plus_m = softplus(s) + PLANAR_SLACK
        has_w = nw > 0
        safe_nw = torch.where(has_w, nw, torch.ones_like(nw))
        c = torch.where(has_w, (one_plus_m - 1 - s) / safe_nw, torch.zeros_like(nw))
        one_plus_m = torch.where(has_w, one_plus_m, torch.ones_like(nw))
        u_hat = u + c.unsqueeze(-1) * w
        t = torch.tanh((w * z).sum(-1) + b)
        out = z + u_hat * t.unsqueeze(-1)
        det = t * t + (1 - t * t) * one_plus_m
        return out, torch.log(det)


class Radial:
    """f(z) = z + beta (z - z0) / (alpha + r), r = |z - z0|, alpha =
    softplus(alpha_raw) (or |alpha_raw|), beta = -alpha + softplus(beta_raw);
    theta = (z0, alpha_raw, beta_raw)."""

    fields = (("z0", None), ("alpha_raw", 1), ("beta_raw", 1))

    def __init__(self, d, abs_alpha=False):
        self.d = d
        self.params = d + 2
        self.abs_alpha = abs_alpha

    def forward(self, z, theta):
        d = self.d
        z0, a, bb = theta[:, :d], theta[:, d], theta[:, d + 1]
        alpha = torch.abs(a) if self.abs_alpha else softplus(a)
        big_b = softplus(bb)
        beta = big_b - alpha
        delta = z - z0
        r = _safe_norm(delta)
        q = alpha + r
        out = z + (beta / q).unsqueeze(-1) * delta
        logdet = (d - 1) * (torch.log(r + big_b) - torch.log(q)) + torch.log(r * r + 2 * alpha * r + alpha * big_b) - 2 * torch.log(q)
        return out, logdet


def flow_kind(kind, d, radial_alpha=""):
    if kind == "planar":
        return Planar(d)
    if kind == "radial":
        return Radial(d, radial_alpha == "abs")
    raise ValueError("unknown flow %r" % kind)


class FlowLayer(nn.Module):
    """One shared flow layer: its theta fields as named parameters."""

    def __init__(self, kind):
        super().__init__()
        self.kind = kind
        for name, size in kind.fields:
            self.register_parameter(name, nn.Parameter(torch.zeros(size or kind.d, dtype=DTYPE)))

    def theta(self):
        return torch.cat([getattr(self, name) for name, _ in self.kind.fields]).unsqueeze(0)


class Flow(nn.Module):
    """K layers of one kind, shared parameters (layers.k.*) or, amortised,
    theta rows from the encoder's extra head."""

    def __init__(self, kind, n_layers, amortized):
        super().__init__()
        self.kind, self.n_layers, self.amortized = kind, n_layers, amortized
        self.layers = nn.ModuleList() if amortized else nn.ModuleList(FlowLayer(kind) for _ in range(n_layers))

    def head_size(self):
        return self.n_layers * self.kind.params if self.amortized else 0

    def forward(self, z, head=None):
        logdet = torch.zeros(z.shape[0], dtype=DTYPE)
        p = self.kind.params
        for k in range(self.n_layers):
            theta = head[:, k * p:(k + 1) * p] if self.amortized else self.layers[k].theta()
            z, ld = self.kind.forward(z, theta)
            logdet = logdet + ld
        return z, logdet


# --- priors ------------------------------------------------------------------

class StandardPrior(nn.Module):
    analytic = True

    def log_prob(self, z):
        return -0.5 * ((z * z).sum(-1) + z.shape[-1] * LOG_2PI)

    def kl(self, mu, logvar):
        return 0.5 * (mu * mu + torch.exp(logvar) - 1 - logvar).sum(-1)


class GaussianPrior(nn.Module):
    analytic = True

    def __init__(self, d):
        super().__init__()
        self.mean = nn.Parameter(torch.zeros(d, dtype=DTYPE))
        self.logvar = nn.Parameter(torch.zeros(d, dtype=DTYPE))

    def log_prob(self, z):
        return gaussian_log_density(z, self.mean, clamp_logvar(self.logvar))

    def kl(self, mu, logvar):
        s = clamp_logvar(self.logvar)
        return 0.5 * (s - logvar + (torch.exp(logvar) + (mu - self.mean) ** 2) * torch.exp(-s) - 1).sum(-1)


class MixturePrior(nn.Module):
    analytic = False

    def __init__(self, k, d):
        super().__init__()
        self.logits = nn.Parameter(torch.zeros(k, dtype=DTYPE))
        self.means = nn.Parameter(torch.zeros(k, d, dtype=DTYPE))
        self.logvars = nn.Parameter(torch.zeros(k, d, dtype=DTYPE))

    def log_prob(self, z):
        logw = self.logits - torch.logsumexp(self.logits, 0)
        comp = gaussian_log_density(z.unsqueeze(1), self.means, clamp_logvar(self.logvars))  # n x K
        return torch.logsumexp(logw + comp, 1)


class VampPrior(nn.Module):
    """p(z) = 1/K sum_k q(z | u_k) with the model's own encoder."""

    analytic = False

    def __init__(self, k, data_dim, squash):
        super().__init__()
        self.pseudo = nn.Parameter(torch.zeros(k, data_dim, dtype=DTYPE))
        self.squash = squash
        self.encode = None  # set by VAE

    def log_prob(self, z):
        u = torch.sigmoid(self.pseudo) if self.squash else self.pseudo
        mu, logvar, _ = self.encode(u)
        comp = gaussian_log_density(z.unsqueeze(1), mu, logvar)
        return torch.logsumexp(comp, 1) - math.log(self.pseudo.shape[0])


class FlowPrior(Flow):
    """log p(z) = log N(g(z); 0, I) + log|det dg/dz|, g = g_K o ... o g_1
    (the normalising direction), layers.k.* their parameters."""

    analytic = False

    def __init__(self, kind, n_layers):
        super().__init__(kind, n_layers, False)

    def log_prob(self, z):
        eps, logdet = self(z)
        return -0.5 * ((eps * eps).sum(-1) + z.shape[-1] * LOG_2PI) + logdet


# --- the VAE -------------------------------------------------------------

class GaussianLikelihood(nn.Module):
    def __init__(self, cols):
        super().__init__()
        self.logvar = nn.Parameter(torch.zeros(cols, dtype=DTYPE))


class VAE(nn.Module):
    def __init__(self, config, trained_on="{}"):
        super().__init__()
        c = self.config = config
        self.config_json = json.dumps(config, separators=(",", ":"))
        self.trained_on = trained_on
        d, dd = c["latent_dim"], c["data_dim"]
        act = c.get("activation", "tanh")
        bayes = c.get("bayes") or {}
        pf = c.get("posterior_flow") or {}
        pf_kind = pf.get("kind", "")
        self.posterior_flow = None
        extra = 0
        if pf_kind not in ("", "none"):
            self.posterior_flow = Flow(flow_kind(pf_kind, d, pf.get("radial_alpha", "")), pf.get("layers", 0), bool(pf.get("amortized")))
            extra = self.posterior_flow.head_size()
        self.d = d
        self.encoder = MLP([dd] + list(c.get("encoder_hidden") or []) + [2 * d + extra], act, bool(bayes.get("encoder")))
        self.decoder = MLP([d] + list(c.get("decoder_hidden") or []) + [dd], act, bool(bayes.get("decoder")))
        self.bernoulli = c["likelihood"] == "bernoulli"
        if not self.bernoulli:
            self.likelihood = GaussianLikelihood(dd if c.get("variance") == "per-dim" else 1)
        p = c.get("prior") or {}
        kind = p.get("kind") or "standard"
        if kind == "standard" or (kind == "flow" and not p.get("flow_layers")):
            self.prior = StandardPrior()
        elif kind == "gaussian":
            self.prior = GaussianPrior(d)
        elif kind == "mixture":
            self.prior = MixturePrior(p.get("components") or 10, d)
        elif kind == "vamp":
            self.prior = VampPrior(p.get("components") or 50, dd, self.bernoulli)
            self.prior.encode = self.encode_full
        elif kind == "flow":
            self.prior = FlowPrior(flow_kind(p.get("flow_kind") or "planar", d, p.get("flow_radial_alpha", "")), p["flow_layers"])
        else:
            raise ValueError("prior %r is not supported here" % kind)

    def encode_full(self, x):
        out = self.encoder(x)
        d = self.d
        return out[:, :d], clamp_logvar(out[:, d:2 * d]), out[:, 2 * d:]

    def encode(self, x):
        """mu and the clamped log-variance of q0(z|x)."""
        mu, logvar, _ = self.encode_full(x)
        return mu, logvar

    def decode(self, z):
        """E[x|z]: Bernoulli probabilities or Gaussian means."""
        out = self.decoder(z)
        return torch.sigmoid(out) if self.bernoulli else out

    def log_likelihood(self, x, out):
        if self.bernoulli:
            return (x * out - (torch.relu(out) + torch.log1p(torch.exp(-torch.abs(out))))).sum(-1)
        lv = clamp_logvar(self.likelihood.logvar)
        return gaussian_log_density(x, out, lv.expand_as(out))

    def analytic_kl(self):
        return self.prior.analytic and self.posterior_flow is None

    def elbo_parts(self, x, eps):
        """Per row: (elbo, recon, kl) of one sample z0 = mu + exp(logvar/2) eps
        pushed through the posterior flow; the KL analytic when the engine's
        is, log q - log p at the sample otherwise."""
        mu, logvar, head = self.encode_full(x)
        z = mu + torch.exp(0.5 * logvar) * eps
        logdet = torch.zeros(x.shape[0], dtype=DTYPE)
        if self.posterior_flow is not None:
            z, logdet = self.posterior_flow(z, head)
        recon = self.log_likelihood(x, self.decoder(z))
        if self.analytic_kl():
            kl = self.prior.kl(mu, logvar)
        else:
            logq = -0.5 * (LOG_2PI + logvar + eps * eps).sum(-1) - logdet
            kl = logq - self.prior.log_prob(z)
        return recon - kl, recon, kl

    def elbo(self, x, eps):
        return self.elbo_parts(x, eps)[0]

    def prior_log_prob(self, z):
        return self.prior.log_prob(z)

    def save(self, path):
        meta = {"format": "pt", "vae_playground": FORMAT_VERSION, "config": self.config_json, "trained_on": self.trained_on}
        write_safetensors(path, self.state_dict(), meta)


def load(path):
    """A VAE from a safetensors file of the playground (or of save)."""
    tensors, meta = read_safetensors(path)
    meta = meta or {}
    if meta.get("vae_playground") != FORMAT_VERSION:
        raise ValueError("%s: not a VAE playground model (metadata vae_playground %r)" % (path, meta.get("vae_playground")))
    if "config" not in meta:
        raise ValueError("%s: the metadata has no config" % path)
    model = VAE(json.loads(meta["config"]), meta.get("trained_on", "{}"))
    model.config_json = meta["config"]  # written back as it came
    model.load_state_dict(tensors, strict=True)
    return model


# --- command line ---------------------------------------------------------

def run_job(job):
    model = load(job["model"])
    inputs, _ = read_safetensors(job["inputs"])
    x, eps, z = inputs["x"], inputs["eps"], inputs["z"]
    steps = int(job.get("steps", 0))
    if steps > 0:
        opt = torch.optim.SGD([p for p in model.parameters() if p.requires_grad], lr=float(job.get("lr", 1e-2)))
        for _ in range(steps):
            opt.zero_grad()
            loss = -model.elbo(x, eps).mean()
            loss.backward()
            opt.step()
        model.save(job["save"])
    with torch.no_grad():
        mu, logvar = model.encode(x)
        elbo, recon, kl = model.elbo_parts(x, eps)
        out = {"mu": mu, "logvar": logvar, "decoded": model.decode(z), "elbo": elbo, "recon": recon, "kl": kl,
               "prior_logp": model.prior_log_prob(z)}
    write_safetensors(job["outputs"], out)


def main(argv):
    if len(argv) == 3 and argv[1] == "info":
        model = load(argv[2])
        print(json.dumps(model.config, indent=1))
        for name, t in model.state_dict().items():
            print("%-40s %s" % (name, list(t.shape)))
        return 0
    if len(argv) == 3 and argv[1] == "jobs":
        with open(argv[2]) as f:
            jobs = json.load(f)
        for job in jobs:
            run_job(job)
        return 0
    print("usage:" + __doc__.split("Command line")[1].split(":", 1)[1].rstrip(), file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
