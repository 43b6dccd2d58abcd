package core

import (
	"fmt"
	"slices"
)

// The registries below are the one list of priors and flows that the
// playground UI, the URL state and the CLI read: adding a kind is one entry.

// PriorEnv is what a prior constructor may use besides its config: the
// model's encoder (a VampPrior evaluates q(z|u) at its pseudo-inputs).
type PriorEnv struct {
	Config  Config
	Encoder *Encoder
}

// PriorKind describes one prior.
type PriorKind struct {
	Name        string
	Description string
	// Options names the PriorConfig fields this kind reads (for UIs).
	Options []string
	// Build declares the prior's parameters in ps and returns it.
	Build func(ps *Params, cfg PriorConfig, env PriorEnv) (Prior, error)
}

// FlowKind describes one flow layer type.
type FlowKind struct {
	Name        string
	Description string
	// ParamCount is the width of one layer's θ row in dimension d.
	ParamCount func(d int) int
	// New returns a layer for dimension d.
	New func(d int) Flow
}

var priorKinds = []PriorKind{
	{
		Name:        "standard",
		Description: "standard Gaussian N(0, I), analytic KL",
		Build: func(ps *Params, cfg PriorConfig, env PriorEnv) (Prior, error) {
			return &StandardNormal{D: env.Config.LatentDim}, nil
		},
	},
}

var flowKinds []FlowKind

// RegisterPrior adds a prior kind; it panics on a duplicate name (a
// programming error found at init).
func RegisterPrior(k PriorKind) {
	if PriorByName(k.Name) != nil {
		panic(fmt.Sprintf("core: prior %q registered twice", k.Name))
	}
	priorKinds = append(priorKinds, k)
}

// RegisterFlow adds a flow kind; it panics on a duplicate name.
func RegisterFlow(k FlowKind) {
	if FlowByName(k.Name) != nil {
		panic(fmt.Sprintf("core: flow %q registered twice", k.Name))
	}
	flowKinds = append(flowKinds, k)
}

// Priors lists the prior kinds in registration order.
func Priors() []PriorKind { return slices.Clone(priorKinds) }

// PriorNames lists the prior names.
func PriorNames() []string {
	names := make([]string, len(priorKinds))
	for i, k := range priorKinds {
		names[i] = k.Name
	}
	return names
}

// PriorByName returns the prior kind with that name, or nil.
func PriorByName(name string) *PriorKind {
	for i := range priorKinds {
		if priorKinds[i].Name == name {
			return &priorKinds[i]
		}
	}
	return nil
}

// Flows lists the flow kinds.
func Flows() []FlowKind { return slices.Clone(flowKinds) }

// FlowNames lists the flow names.
func FlowNames() []string {
	names := make([]string, len(flowKinds))
	for i, k := range flowKinds {
		names[i] = k.Name
	}
	return names
}

// FlowByName returns the flow kind with that name, or nil.
func FlowByName(name string) *FlowKind {
	for i := range flowKinds {
		if flowKinds[i].Name == name {
			return &flowKinds[i]
		}
	}
	return nil
}
