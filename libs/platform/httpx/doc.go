// Package httpx holds the HTTP conventions every zoneops service shares, so that a client sees
// one API rather than four: JSON decoding that turns bad input into field errors, RFC 9457
// problem details produced by one mapping from fault kinds, go-kit server options and encoders
// that use them, and the request id, panic recovery and access log middleware.
package httpx
