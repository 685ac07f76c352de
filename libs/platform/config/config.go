// Package config fills one configuration struct per service from the environment and,
// optionally, command-line flags, with defaults, validation and secrets masked when printed.
//
// Fields are described by tags:
//
//	HTTPAddr  string        `env:"HTTP_ADDR" default:"127.0.0.1:8081" help:"address to serve HTTP on"`
//	JWTSecret string        `env:"JWT_SECRET" secret:"true" required:"true"`
//	Timeout   time.Duration `env:"TIMEOUT" default:"5s"`
//
// The variable read is PREFIX + env (ZONEOPS_HTTP_ADDR); the flag is env in kebab case
// (--http-addr). Flags win over the environment, which wins over defaults. Supported field
// kinds: string, bool, int, int64, float64, time.Duration and []string (comma separated).
// Nested structs are walked, so shared parts (database, NATS) are declared once.
package config

import (
	"errors"
	"flag"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"time"
)

// Validator is implemented by configs with rules beyond required fields.
type Validator interface {
	Validate() error
}

// Lookup reads one variable; os.LookupEnv fits.
type Lookup func(key string) (string, bool)

type field struct {
	v        reflect.Value
	env      string
	def      string
	help     string
	secret   bool
	required bool
}

func fields(dst any) ([]field, error) {
	rv := reflect.ValueOf(dst)
	if rv.Kind() != reflect.Pointer || rv.Elem().Kind() != reflect.Struct {
		return nil, errors.New("config: destination must be a pointer to a struct")
	}
	var out []field
	var walk func(v reflect.Value)
	walk = func(v reflect.Value) {
		t := v.Type()
		for i := 0; i < t.NumField(); i++ {
			sf := t.Field(i)
			if !sf.IsExported() {
				continue
			}
			fv := v.Field(i)
			env, ok := sf.Tag.Lookup("env")
			if !ok {
				if fv.Kind() == reflect.Struct && sf.Type != reflect.TypeOf(time.Time{}) {
					walk(fv)
				}
				continue
			}
			out = append(out, field{
				v: fv, env: env, def: sf.Tag.Get("default"), help: sf.Tag.Get("help"),
				secret: sf.Tag.Get("secret") == "true", required: sf.Tag.Get("required") == "true",
			})
		}
	}
	walk(rv.Elem())
	return out, nil
}

// Load fills dst from defaults, then the environment (prefix + name), then flags already
// parsed into fs (nil for none), then validates. Every problem is reported at once.
func Load(prefix string, dst any, lookup Lookup, fs *flag.FlagSet) error {
	fl, err := fields(dst)
	if err != nil {
		return err
	}
	set := map[string]string{}
	if fs != nil {
		fs.Visit(func(f *flag.Flag) { set[f.Name] = f.Value.String() })
	}
	var problems []string
	for _, f := range fl {
		raw, have := f.def, f.def != ""
		if v, ok := lookup(prefix + f.env); ok {
			raw, have = v, true
		}
		if v, ok := set[FlagName(f.env)]; ok {
			raw, have = v, true
		}
		if !have {
			if f.required {
				problems = append(problems, fmt.Sprintf("%s%s is required", prefix, f.env))
			}
			continue
		}
		if err := setValue(f.v, raw); err != nil {
			problems = append(problems, fmt.Sprintf("%s%s: %v", prefix, f.env, err))
		}
	}
	if len(problems) == 0 {
		if v, ok := dst.(Validator); ok {
			if err := v.Validate(); err != nil {
				problems = append(problems, err.Error())
			}
		}
	}
	if len(problems) > 0 {
		return fmt.Errorf("config: %s", strings.Join(problems, "; "))
	}
	return nil
}

// RegisterFlags declares a flag per field so that Load can read them (a boolean flag for a bool
// field, a string flag otherwise); call it before
// fs.Parse. Only fields whose env name is in names get a flag (all when names is empty), so a
// binary exposes the few flags people type and keeps the rest in the environment.
func RegisterFlags(fs *flag.FlagSet, prefix string, dst any, names ...string) error {
	fl, err := fields(dst)
	if err != nil {
		return err
	}
	want := map[string]bool{}
	for _, n := range names {
		want[n] = true
	}
	for _, f := range fl {
		if len(want) > 0 && !want[f.env] {
			continue
		}
		help := f.help
		if help == "" {
			help = "see " + prefix + f.env
		}
		if f.v.Kind() == reflect.Bool {
			// A switch: --insecure-dev-auth alone means true, as people type it.
			fs.Bool(FlagName(f.env), false, help+" (env "+prefix+f.env+")")
			continue
		}
		fs.String(FlagName(f.env), "", help+" (env "+prefix+f.env+")")
	}
	return nil
}

// FlagName turns HTTP_ADDR into http-addr.
func FlagName(env string) string {
	return strings.ReplaceAll(strings.ToLower(env), "_", "-")
}

// String prints every setting as NAME=value with secrets masked, for start-up logs.
func String(prefix string, cfg any) string {
	fl, err := fields(cfg)
	if err != nil {
		return err.Error()
	}
	parts := make([]string, 0, len(fl))
	for _, f := range fl {
		parts = append(parts, prefix+f.env+"="+display(f))
	}
	return strings.Join(parts, " ")
}

// Usage lists the variables with their defaults and help, for --help and the README.
func Usage(prefix string, cfg any) string {
	fl, err := fields(cfg)
	if err != nil {
		return err.Error()
	}
	var b strings.Builder
	for _, f := range fl {
		def := f.def
		if def == "" {
			def = `""`
		}
		fmt.Fprintf(&b, "  %-36s %s (default %s)\n", prefix+f.env, f.help, def)
	}
	return b.String()
}

func display(f field) string {
	s := valueString(f.v)
	if f.secret && s != "" {
		return "****"
	}
	return MaskURL(s)
}

// MaskURL hides a password inside a URL-shaped value (postgres://user:pw@host/db).
func MaskURL(s string) string {
	scheme, rest, ok := strings.Cut(s, "://")
	if !ok {
		return s
	}
	at := strings.LastIndex(rest, "@")
	if at < 0 {
		return s
	}
	userinfo := rest[:at]
	if user, _, hasPw := strings.Cut(userinfo, ":"); hasPw {
		return scheme + "://" + user + ":****" + rest[at:]
	}
	return s
}

func valueString(v reflect.Value) string {
	switch x := v.Interface().(type) {
	case []string:
		return strings.Join(x, ",")
	case time.Duration:
		return x.String()
	default:
		return fmt.Sprint(x)
	}
}

func setValue(v reflect.Value, raw string) error {
	switch v.Interface().(type) {
	case time.Duration:
		d, err := time.ParseDuration(raw)
		if err != nil {
			return fmt.Errorf("not a duration: %q", raw)
		}
		v.SetInt(int64(d))
		return nil
	case []string:
		var out []string
		for _, p := range strings.Split(raw, ",") {
			if p = strings.TrimSpace(p); p != "" {
				out = append(out, p)
			}
		}
		v.Set(reflect.ValueOf(out))
		return nil
	}
	switch v.Kind() {
	case reflect.String:
		v.SetString(raw)
	case reflect.Bool:
		b, err := strconv.ParseBool(raw)
		if err != nil {
			return fmt.Errorf("not a boolean: %q", raw)
		}
		v.SetBool(b)
	case reflect.Int, reflect.Int64:
		n, err := strconv.ParseInt(raw, 10, 64)
		if err != nil {
			return fmt.Errorf("not an integer: %q", raw)
		}
		v.SetInt(n)
	case reflect.Float64:
		n, err := strconv.ParseFloat(raw, 64)
		if err != nil {
			return fmt.Errorf("not a number: %q", raw)
		}
		v.SetFloat(n)
	default:
		return fmt.Errorf("unsupported field kind %s", v.Kind())
	}
	return nil
}
