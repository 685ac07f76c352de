package cli

import (
	"errors"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestRuntimeInfoRoundTrip(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data", "nested") // created by Write
	want := RuntimeInfo{NATSURL: "nats://127.0.0.1:4222", Services: map[string]string{"tenants": "http://127.0.0.1:8081"}}
	if err := WriteRuntimeInfo(dir, want); err != nil {
		t.Fatal(err)
	}
	got, err := ReadRuntimeInfo(dir)
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("ReadRuntimeInfo = %+v, %v; want %+v", got, err, want)
	}
	// Overwriting leaves exactly one file: no temporary files behind.
	want.Services["tenants"] = "http://127.0.0.1:9000"
	if err := WriteRuntimeInfo(dir, want); err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 || entries[0].Name() != RuntimeInfoFile {
		t.Fatalf("dir holds %v, want only %s", entries, RuntimeInfoFile)
	}
	if got, _ := ReadRuntimeInfo(dir); got.Services["tenants"] != "http://127.0.0.1:9000" {
		t.Fatalf("after rewrite: %+v", got)
	}
	if _, err := ReadRuntimeInfo(t.TempDir()); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("missing file: err %v, want fs.ErrNotExist", err)
	}
}

func TestURLsComeFromFlagThenEnvThenRuntimeFile(t *testing.T) {
	fromFile, fromEnv, fromFlag := newFakeAPI(t), newFakeAPI(t), newFakeAPI(t)
	for _, api := range []*fakeAPI{fromFile, fromEnv, fromFlag} {
		api.reply("GET /v1/licences/{id}", http.StatusOK, "application/json", licenceJSON)
	}
	dir := t.TempDir()
	if err := WriteRuntimeInfo(dir, RuntimeInfo{Services: map[string]string{"tenants": fromFile.srv.URL}}); err != nil {
		t.Fatal(err)
	}
	get := []string{"--data-dir", dir, "--token", "t", "licences", "get", "l1"}
	env := map[string]string{EnvTenantsURL: fromEnv.srv.URL}

	runCLI(t, nil, "", get...)
	runCLI(t, env, "", get...)
	runCLI(t, env, "", append([]string{"--tenants-url", fromFlag.srv.URL}, get...)...)
	for name, api := range map[string]*fakeAPI{"file": fromFile, "env": fromEnv, "flag": fromFlag} {
		if n := len(api.requests()); n != 1 {
			t.Errorf("server named by %s got %d requests, want 1", name, n)
		}
	}

	// A broken file is reported, not silently ignored.
	bad := t.TempDir()
	os.WriteFile(filepath.Join(bad, RuntimeInfoFile), []byte("{"), 0o600)
	if res := runCLI(t, nil, "", "--data-dir", bad, "--token", "t", "licences", "get", "l1"); res.code != 1 ||
		!strings.Contains(res.stderr, RuntimeInfoFile) {
		t.Fatalf("broken file: exit %d, stderr %s", res.code, res.stderr)
	}
}
