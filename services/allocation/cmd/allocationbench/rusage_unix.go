//go:build unix

package main

import (
	"runtime"
	"syscall"
)

// maxRSS returns the process's maximum resident set size so far, in bytes (0 if unknown).
func maxRSS() uint64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil || ru.Maxrss <= 0 {
		return 0
	}
	// ru_maxrss is in bytes on Apple systems and in kibibytes elsewhere.
	if runtime.GOOS == "darwin" || runtime.GOOS == "ios" {
		return uint64(ru.Maxrss)
	}
	return uint64(ru.Maxrss) * 1024
}
