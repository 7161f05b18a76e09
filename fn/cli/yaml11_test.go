package cli

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	yamlv2 "go.yaml.in/yaml/v2"
	yamlv3 "go.yaml.in/yaml/v3"
)

// TestGoldenOutputReadsAlikeInYAML11 reads every expected output of the
// golden cases with a YAML 1.2 reader (go.yaml.in/yaml/v3, as kpt and
// kustomize read) and a YAML 1.1 reader (go.yaml.in/yaml/v2, as kubectl
// and Argo CD read through sigs.k8s.io/yaml): both must see the same
// values, so no string turns into a boolean, number or null on the way to
// the API server.
func TestGoldenOutputReadsAlikeInYAML11(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(goldenDir, "*", "expected.yaml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no golden outputs (%v)", err)
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		v3, v2 := readAll(t, f, data)
		if len(v3) != len(v2) {
			t.Errorf("%s: %d documents in YAML 1.2, %d in YAML 1.1", f, len(v3), len(v2))
			continue
		}
		for i := range v3 {
			if !reflect.DeepEqual(v3[i], v2[i]) {
				t.Errorf("%s: document %d reads differently in YAML 1.1:\n1.2: %v\n1.1: %v", f, i, v3[i], v2[i])
			}
		}
	}
}

// readAll decodes every document of data with both readers, maps with
// string keys.
func readAll(t *testing.T, file string, data []byte) (v3, v2 []any) {
	t.Helper()
	return decodeAll(t, file+": YAML 1.2", yamlv3.NewDecoder(bytes.NewReader(data))),
		decodeAll(t, file+": YAML 1.1", yamlv2.NewDecoder(bytes.NewReader(data)))
}

func decodeAll(t *testing.T, what string, d interface{ Decode(any) error }) []any {
	t.Helper()
	var out []any
	for {
		var v any
		if err := d.Decode(&v); errors.Is(err, io.EOF) {
			return out
		} else if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		out = append(out, normalize(v))
	}
}

// normalize turns both decoders' maps into map[string]any; a key that is
// not a string is kept as its %T so that the difference shows.
func normalize(v any) any {
	switch v := v.(type) {
	case map[string]any:
		out := map[string]any{}
		for k, e := range v {
			out[k] = normalize(e)
		}
		return out
	case map[any]any:
		out := map[string]any{}
		for k, e := range v {
			ks, ok := k.(string)
			if !ok {
				ks = fmt.Sprintf("%T(%v)", k, k)
			}
			out[ks] = normalize(e)
		}
		return out
	case []any:
		for i := range v {
			v[i] = normalize(v[i])
		}
	}
	return v
}
