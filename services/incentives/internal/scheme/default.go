package scheme

import (
	_ "embed" // the default policy file
	"fmt"
)

// defaultPolicy is the policy a deployment runs when it names no file of its own.
//
//go:embed default.yaml
var defaultPolicy []byte

// DefaultFile returns the embedded default policy file, for a deployment to start its own from.
func DefaultFile() []byte { return append([]byte(nil), defaultPolicy...) }

// Default parses the embedded default policy: the exemptions of ss.20 and 21 of the STZA Act
// 2021 (see default.yaml for which figures are law and which are policy choices). A test loads
// it, so the error is only for a broken build.
func Default() (Policy, error) {
	p, err := Load(defaultPolicy)
	if err != nil {
		return Policy{}, fmt.Errorf("default policy: %w", err)
	}
	return p, nil
}
