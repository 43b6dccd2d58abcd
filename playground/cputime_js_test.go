//go:build js

package playground

import (
	"syscall/js"
	"time"
)

// cpuTime is the CPU time Node's process has used (process.cpuUsage, in
// microseconds), or 0 outside Node.
func cpuTime() time.Duration {
	p := js.Global().Get("process")
	if p.IsUndefined() || p.Get("cpuUsage").IsUndefined() {
		return 0
	}
	u := p.Call("cpuUsage")
	return time.Duration(u.Get("user").Float()+u.Get("system").Float()) * time.Microsecond
}
