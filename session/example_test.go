package session_test

import (
	"fmt"

	"github.com/vaeplayground/vae/session"
)

// Decode reads a link's settings: every value is validated, a bad one
// keeps its default and an out-of-range number is clamped, each with a
// note for the user; keys that are not settings come back unvalidated.
func ExampleDecode() {
	v, notes, extra := session.Decode("#data=circles&beta=4&latent=99&act=sigmoidish&pts=0~0~1")
	fmt.Println(v.Choice("data"), v.Get("beta"), v.Int("latent"), v.Choice("act"))
	for _, n := range notes {
		fmt.Println("note:", n)
	}
	fmt.Println("extra:", extra["pts"])
	fmt.Println("link:", v.Encode())
	// Output:
	// circles 4 16 tanh
	// note: latent: 99 clamped to 16
	// note: act: unknown choice "sigmoidish": default used
	// extra: 0~0~1
	// link: data=circles&latent=16&beta=4
}
