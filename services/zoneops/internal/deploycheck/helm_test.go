package deploycheck

import (
	"reflect"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/zoneops/zoneops/libs/platform/app"
	"github.com/zoneops/zoneops/services/allocation"
	"github.com/zoneops/zoneops/services/tenants"
)

// chartValues is the part of helm/zoneops/values.yaml these tests look at.
type chartValues struct {
	Nats struct {
		URL         string `yaml:"url"`
		Credentials struct {
			SecretPrefix string `yaml:"secretPrefix"`
			UserKey      string `yaml:"userKey"`
			PasswordKey  string `yaml:"passwordKey"`
		} `yaml:"credentials"`
	} `yaml:"nats"`
	Postgres struct {
		ExistingSecret string `yaml:"existingSecret"`
		Key            string `yaml:"key"`
	} `yaml:"postgres"`
	Probes struct {
		Liveness  struct{ Path string } `yaml:"liveness"`
		Readiness struct{ Path string } `yaml:"readiness"`
	} `yaml:"probes"`
	Services map[string]struct {
		Enabled *bool             `yaml:"enabled"`
		Port    int               `yaml:"port"`
		Config  map[string]string `yaml:"config"`
	} `yaml:"services"`
}

// envNames lists the env tags of a config struct, nested structs included, as config.Load
// reads them (without the prefix).
func envNames(typ reflect.Type) map[string]bool {
	out := map[string]bool{}
	for i := 0; i < typ.NumField(); i++ {
		f := typ.Field(i)
		if env, ok := f.Tag.Lookup("env"); ok {
			out[env] = true
		} else if f.Type.Kind() == reflect.Struct {
			for k := range envNames(f.Type) {
				out[k] = true
			}
		}
	}
	return out
}

var semver = regexp.MustCompile(`^[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$`)

func TestHelmChart(t *testing.T) {
	var chart struct {
		APIVersion string `yaml:"apiVersion"`
		Name       string `yaml:"name"`
		Version    string `yaml:"version"`
		AppVersion string `yaml:"appVersion"`
		Type       string `yaml:"type"`
	}
	decodeYAML(t, readFile(t, "helm", "zoneops", "Chart.yaml"), &chart)
	if chart.APIVersion != "v2" || chart.Name != "zoneops" || chart.Type != "application" {
		t.Errorf("Chart.yaml: apiVersion %q name %q type %q, want v2 zoneops application", chart.APIVersion, chart.Name, chart.Type)
	}
	if !semver.MatchString(chart.Version) || chart.AppVersion == "" {
		t.Errorf("Chart.yaml: version %q must be SemVer 2 and appVersion %q set", chart.Version, chart.AppVersion)
	}

	var v chartValues
	decodeYAML(t, readFile(t, "helm", "zoneops", "values.yaml"), &v)
	if v.Nats.URL == "" || v.Postgres.ExistingSecret == "" || v.Postgres.Key == "" {
		t.Error("values.yaml: nats.url, postgres.existingSecret and postgres.key need defaults")
	}
	if c := v.Nats.Credentials; c.SecretPrefix == "" || c.UserKey == "" || c.PasswordKey == "" {
		t.Error("values.yaml: nats.credentials.secretPrefix, userKey and passwordKey need defaults: the services refuse an external NATS without credentials")
	}
	// Each service's NATS user and password reach it from its Secret, never from the ConfigMap.
	deployment := string(readFile(t, "helm", "zoneops", "templates", "deployment.yaml"))
	for _, want := range []string{
		"- name: ZONEOPS_NATS_USER\n              valueFrom:\n                secretKeyRef:\n                  name: {{ printf \"%s%s\" $.Values.nats.credentials.secretPrefix $name }}\n                  key: {{ $.Values.nats.credentials.userKey }}",
		"- name: ZONEOPS_NATS_PASSWORD\n              valueFrom:\n                secretKeyRef:\n                  name: {{ printf \"%s%s\" $.Values.nats.credentials.secretPrefix $name }}\n                  key: {{ $.Values.nats.credentials.passwordKey }}",
	} {
		if !strings.Contains(deployment, want) {
			t.Errorf("deployment.yaml lacks\n%s", want)
		}
	}
	if strings.Contains(string(readFile(t, "helm", "zoneops", "templates", "configmap.yaml")), "NATS_PASSWORD") {
		t.Error("configmap.yaml sets a NATS password: it belongs in a Secret")
	}
	if v.Probes.Liveness.Path != "/healthz" || v.Probes.Readiness.Path != "/readyz" {
		t.Errorf("values.yaml: probes %q and %q, want /healthz and /readyz", v.Probes.Liveness.Path, v.Probes.Readiness.Path)
	}
	names := make([]string, 0, len(v.Services))
	for name := range v.Services {
		names = append(names, name)
	}
	sort.Strings(names)
	ports := map[int]string{}
	for _, name := range names {
		s := v.Services[name]
		if s.Enabled == nil || s.Port <= 0 || s.Port > 65535 {
			t.Errorf("values.yaml: services.%s needs enabled and a port", name)
		}
		if other, dup := ports[s.Port]; dup {
			t.Errorf("values.yaml: services.%s and services.%s share port %d", name, other, s.Port)
		}
		ports[s.Port] = name
	}
	for _, want := range []string{"tenants", "allocation", "incentives", "compliance"} {
		if _, ok := v.Services[want]; !ok {
			t.Errorf("values.yaml: services.%s is missing", want)
		}
	}
	// Each built service is enabled, and its config keys become ZONEOPS_<NAME>_<key>: every key
	// must be a variable the service reads, or the setting silently does nothing. HTTP_ADDR is
	// the chart's (from port).
	built := []struct {
		name, prefix    string
		config, process reflect.Type
	}{
		{tenants.Name, tenants.EnvPrefix, reflect.TypeFor[tenants.Config](), reflect.TypeFor[tenants.ProcessConfig]()},
		{allocation.Name, allocation.EnvPrefix, reflect.TypeFor[allocation.Config](), reflect.TypeFor[allocation.ProcessConfig]()},
	}
	for _, b := range built {
		if s, ok := v.Services[b.name]; !ok || s.Enabled == nil || !*s.Enabled {
			t.Errorf("values.yaml: services.%s must be enabled", b.name)
			continue
		}
		known := envNames(b.config)
		for k := range v.Services[b.name].Config {
			if !known[k] {
				t.Errorf("values.yaml: services.%s.config.%s is not a %s variable (known: %v)", b.name, k, b.prefix, known)
			}
		}
		if !envNames(b.process)["HTTP_ADDR"] {
			t.Errorf("the chart sets %sHTTP_ADDR, which %s's ProcessConfig no longer reads", b.prefix, b.name)
		}
	}
	// The chart sets these shared variables (ZONEOPS_ + name) in its ConfigMap and Deployment.
	common := envNames(reflect.TypeFor[app.Common]())
	for _, k := range []string{"NATS_URL", "NATS_USER", "NATS_PASSWORD", "NATS_CA", "POSTGRES_DSN", "JWT_SECRET", "JWKS_URL", "JWT_ISSUER", "JWT_AUDIENCE", "LOG_LEVEL", "DATA_DIR"} {
		if !common[k] {
			t.Errorf("the chart sets ZONEOPS_%s, which app.Common no longer reads", k)
		}
	}
}
