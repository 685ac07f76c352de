//go:build !unix

package main

// maxRSS is unknown here: getrusage is a Unix call.
func maxRSS() uint64 { return 0 }
