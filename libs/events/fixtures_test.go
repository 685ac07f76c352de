package events

import (
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/zoneops/zoneops/libs/events/envelope"
)

// fixtureName is how a fixture is named: the version it was written for, then a label.
var fixtureName = regexp.MustCompile(`^(v[1-9][0-9]*)-[a-z0-9-]+\.json$`)

// fixtures returns every fixture file, by type directory.
func fixtures(t testing.TB) map[string][]string {
	t.Helper()
	dirs, err := os.ReadDir(filepath.Join("testdata", "fixtures"))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]string{}
	for _, d := range dirs {
		files, err := filepath.Glob(filepath.Join("testdata", "fixtures", d.Name(), "*"))
		if err != nil {
			t.Fatal(err)
		}
		out[d.Name()] = files
	}
	return out
}

// TestEveryTypeHasAFixture keeps the promise that each type has at least one frozen example,
// and that fixtures only exist for registered types and are named after their version.
func TestEveryTypeHasAFixture(t *testing.T) {
	all := fixtures(t)
	for _, typ := range Types() {
		if len(all[typ]) == 0 {
			t.Errorf("no fixture for %s: add testdata/fixtures/%s/v1-full.json", typ, typ)
		}
	}
	for dir, files := range all {
		if !slices.Contains(Types(), dir) {
			t.Errorf("testdata/fixtures/%s names no registered type", dir)
		}
		version := dir[strings.LastIndex(dir, ".")+1:]
		for _, f := range files {
			m := fixtureName.FindStringSubmatch(filepath.Base(f))
			if m == nil || m[1] != version {
				t.Errorf("%s: name must be %s-<label>.json", f, version)
			}
		}
	}
}

// TestFixturesDecodeAndMatchTheirSchemas is the compatibility guarantee: every event ever
// frozen as a fixture still decodes, and its data and envelope still satisfy the schemas.
func TestFixturesDecodeAndMatchTheirSchemas(t *testing.T) {
	set := compileSchemas(t)
	for dir, files := range fixtures(t) {
		for _, f := range files {
			t.Run(filepath.Join(dir, filepath.Base(f)), func(t *testing.T) {
				b, err := os.ReadFile(f)
				if err != nil {
					t.Fatal(err)
				}
				e, p, err := Decode(b)
				if err != nil {
					t.Fatalf("Decode: %v", err)
				}
				if e.Type != dir {
					t.Errorf("type %q lives in the directory of %q", e.Type, dir)
				}
				if got := reflect.TypeOf(p); got != mustLookup(t, e.Type).payload {
					t.Errorf("payload is a %v", got)
				}
				if err := set.envelope.Validate(instance(t, b)); err != nil {
					t.Errorf("envelope schema: %v", err)
				}
				if err := set.data[e.Type].Validate(instance(t, e.Data)); err != nil {
					t.Errorf("schema of %s: %v", e.Type, err)
				}
			})
		}
	}
}

func mustLookup(t testing.TB, typ string) entry {
	t.Helper()
	k, ok := known.lookup(typ)
	if !ok {
		t.Fatalf("%s is not registered", typ)
	}
	return k
}

// FuzzDecode checks that Decode never panics, whatever the bytes, and that whatever it
// accepts survives encoding and decoding again unchanged: a consumer that re-publishes an
// event (a dead-letter replay) must publish the same event.
func FuzzDecode(f *testing.F) {
	for _, files := range fixtures(f) {
		for _, path := range files {
			b, err := os.ReadFile(path)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(b)
		}
	}
	f.Add([]byte(`{}`))
	f.Add([]byte(`{"id":null}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		e, p, err := Decode(b)
		if err != nil {
			if p != nil {
				t.Fatalf("Decode returned a payload with error %v", err)
			}
			return
		}
		again, err := envelope.Encode(e)
		if err != nil {
			t.Fatalf("Encode of a decoded event: %v", err)
		}
		e2, p2, err := Decode(again)
		if err != nil {
			t.Fatalf("Decode of a re-encoded event: %v\n%s", err, again)
		}
		if !reflect.DeepEqual(e, e2) {
			t.Fatalf("envelope changed in a round trip:\n%+v\n%+v", e, e2)
		}
		if !reflect.DeepEqual(p, p2) {
			t.Fatalf("payload changed in a round trip:\n%#v\n%#v", p, p2)
		}
	})
}
