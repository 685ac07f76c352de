package config

import (
	"errors"
	"flag"
	"strings"
	"testing"
	"time"
)

type dbPart struct {
	DSN string `env:"POSTGRES_DSN" help:"PostgreSQL DSN"`
}

type sample struct {
	Addr    string        `env:"HTTP_ADDR" default:"127.0.0.1:8081"`
	Secret  string        `env:"JWT_SECRET" secret:"true" required:"true"`
	Timeout time.Duration `env:"TIMEOUT" default:"5s"`
	Days    int           `env:"DECISION_DAYS" default:"30"`
	Debug   bool          `env:"DEBUG"`
	Zones   []string      `env:"ZONES"`
	DB      dbPart
}

func (s *sample) Validate() error {
	if s.Days <= 0 {
		return errors.New("ZONEOPS_DECISION_DAYS must be positive")
	}
	return nil
}

func env(m map[string]string) Lookup {
	return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
}

func TestLoadLayersDefaultsEnvironmentAndFlags(t *testing.T) {
	fs := flag.NewFlagSet("t", flag.ContinueOnError)
	var s sample
	if err := RegisterFlags(fs, "ZONEOPS_", &s, "HTTP_ADDR", "POSTGRES_DSN"); err != nil {
		t.Fatal(err)
	}
	if err := fs.Parse([]string{"--http-addr", ":9000"}); err != nil {
		t.Fatal(err)
	}
	err := Load("ZONEOPS_", &s, env(map[string]string{
		"ZONEOPS_JWT_SECRET":   "s3cret",
		"ZONEOPS_HTTP_ADDR":    ":7000",
		"ZONEOPS_ZONES":        "ISB, LHR,,HRP",
		"ZONEOPS_POSTGRES_DSN": "postgres://app:pw@db:5432/zoneops",
	}), fs)
	if err != nil {
		t.Fatal(err)
	}
	if s.Addr != ":9000" {
		t.Errorf("Addr = %q: a flag must win over the environment", s.Addr)
	}
	if s.Timeout != 5*time.Second || s.Days != 30 {
		t.Errorf("defaults not applied: %+v", s)
	}
	if strings.Join(s.Zones, "|") != "ISB|LHR|HRP" {
		t.Errorf("Zones = %q", s.Zones)
	}
	if s.DB.DSN == "" {
		t.Error("nested struct fields must be loaded")
	}
}

// TestBoolFieldsAreSwitches: a bool field's flag needs no value (--debug), takes one when
// given (--debug=false), and wins over the environment as every flag does.
func TestBoolFieldsAreSwitches(t *testing.T) {
	tests := []struct {
		name string
		args []string
		env  map[string]string
		want bool
	}{
		{"switch alone", []string{"--debug"}, nil, true},
		{"switch with a value", []string{"--debug=false"}, map[string]string{"ZONEOPS_DEBUG": "true"}, false},
		{"environment without the switch", nil, map[string]string{"ZONEOPS_DEBUG": "true"}, true},
		{"neither", nil, nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs := flag.NewFlagSet("t", flag.ContinueOnError)
			var s sample
			if err := RegisterFlags(fs, "ZONEOPS_", &s, "DEBUG"); err != nil {
				t.Fatal(err)
			}
			if err := fs.Parse(tt.args); err != nil {
				t.Fatal(err)
			}
			e := map[string]string{"ZONEOPS_JWT_SECRET": "s"}
			for k, v := range tt.env {
				e[k] = v
			}
			if err := Load("ZONEOPS_", &s, env(e), fs); err != nil {
				t.Fatal(err)
			}
			if s.Debug != tt.want {
				t.Errorf("Debug = %v, want %v", s.Debug, tt.want)
			}
		})
	}
}

func TestLoadReportsEveryProblemAtOnce(t *testing.T) {
	var s sample
	err := Load("ZONEOPS_", &s, env(map[string]string{"ZONEOPS_TIMEOUT": "soon", "ZONEOPS_DEBUG": "maybe"}), nil)
	if err == nil {
		t.Fatal("want an error")
	}
	for _, want := range []string{"ZONEOPS_JWT_SECRET is required", "ZONEOPS_TIMEOUT: not a duration", "ZONEOPS_DEBUG: not a boolean"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %q", err, want)
		}
	}
}

func TestValidateRunsAfterParsing(t *testing.T) {
	var s sample
	err := Load("ZONEOPS_", &s, env(map[string]string{"ZONEOPS_JWT_SECRET": "x", "ZONEOPS_DECISION_DAYS": "0"}), nil)
	if err == nil || !strings.Contains(err.Error(), "must be positive") {
		t.Fatalf("err = %v, want the Validate error", err)
	}
}

func TestStringMasksSecretsAndPasswords(t *testing.T) {
	s := sample{Secret: "s3cret", DB: dbPart{DSN: "postgres://app:pw@db:5432/zoneops"}}
	out := String("ZONEOPS_", &s)
	if strings.Contains(out, "s3cret") || strings.Contains(out, ":pw@") {
		t.Fatalf("String leaks a secret: %s", out)
	}
	if !strings.Contains(out, "ZONEOPS_JWT_SECRET=****") || !strings.Contains(out, "postgres://app:****@db:5432/zoneops") {
		t.Fatalf("String = %s", out)
	}
}
