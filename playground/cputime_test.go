//go:build !js && !windows

package playground

import (
	"syscall"
	"time"
)

// cpuTime is the CPU time the process has used (all threads, the garbage
// collector's included): on a machine shared with other work, wall time
// measures the neighbours as much as the frame.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
