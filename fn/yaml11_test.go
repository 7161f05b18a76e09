package fn

import (
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf8"

	kfn "github.com/kptdev/krm-functions-sdk/go/fn"
	yamlv2 "go.yaml.in/yaml/v2"
)

// TestAmbiguousInYAML11 checks the predicate against go.yaml.in/yaml/v2,
// the YAML 1.1 decoder of kubectl and Argo CD (through sigs.k8s.io/yaml):
// every string it would misread must be quoted, and every string it reads
// back plain should stay plain. PyYAML-only forms are listed apart.
func TestAmbiguousInYAML11(t *testing.T) {
	for _, s := range []string{
		"NO", "no", "No", "n", "N", "yes", "Yes", "YES", "y", "Y", "on", "On", "ON", "off", "Off", "OFF",
		"true", "False", "~", "null", "NULL", "<<", "-",
		"0", "012", "0o17", "0x1F", "0X1f", "0b101", "-0b1", "1_000", "+1", "-7", "1e3", "1E+3", "1.5", ".5", "-.inf", ".NaN",
		"1:20", "1:20.5", "2001-12-14", "2001-12-14t21:59:43.10-05:00", "2001-12-14 21:59:43.10 -5",
		// Read back as themselves:
		"a", "node-1", "worker.example.com", "192.0.2.10", "192.0.2.10-12", "2001:db8::a-f", "10.0.0.1,10.0.0.2",
		"preempt_delay 300", "eth0", "1985x", "1-2", "INPUT", ".", "+", "0.0.0.0/0", "1.2.3", "yess", "onn", "nope", "-x",
		"infinity", "nan", "Inf", "0x", "1:2:3:4", "v4.20",
	} {
		var m map[string]any
		err := yamlv2.Unmarshal([]byte("v: "+s), &m)
		got := m["v"]
		v2Misreads := err != nil || got != s
		pyOnly := map[string]bool{"1:20": true, "1:20.5": true, "2001-12-14": true, "2001-12-14t21:59:43.10-05:00": true, "2001-12-14 21:59:43.10 -5": true, "=": true, "<<": true, "1:2:3:4": true}[s]
		switch amb := AmbiguousInYAML11(s); {
		case v2Misreads && !amb:
			t.Errorf("%q: yaml.v2 reads %#v, but it would be written plain", s, got)
		case !v2Misreads && amb && !pyOnly:
			t.Errorf("%q: quoted, though yaml.v2 reads it back as the string", s)
		}
	}
}

// TestQuoteForYAML11 writes objects holding such strings, as keys and as
// values, and reads them back with go.yaml.in/yaml/v2: every string must
// come back as itself.
func TestQuoteForYAML11(t *testing.T) {
	strs := []string{"NO", "yes", "on", "y", "~", "012", "0o17", "1e3", "1:20", "2001-12-14", "plain", "192.0.2.10"}
	obj := kfn.NewEmptyKubeObject()
	_ = obj.SetAPIVersion("v1")
	_ = obj.SetKind("ConfigMap")
	_ = obj.SetName("cm")
	data := map[string]string{}
	for _, s := range strs {
		data[s] = s
	}
	if err := obj.SetNestedStringMap(data, "data"); err != nil {
		t.Fatal(err)
	}
	QuoteForYAML11(kfn.KubeObjects{obj})
	var back struct {
		Data map[any]any `yaml:"data"`
	}
	if err := yamlv2.Unmarshal([]byte(obj.String()), &back); err != nil {
		t.Fatal(err)
	}
	for _, s := range strs {
		if v, ok := back.Data[s]; !ok || v != s {
			t.Errorf("%q: read back as key %t, value %#v\n%s", s, ok, v, obj.String())
		}
	}
}

// FuzzQuoteForYAML11 writes any string as a key and a value and reads the
// output back with go.yaml.in/yaml/v2: it must read the same string.
func FuzzQuoteForYAML11(f *testing.F) {
	for _, s := range []string{"NO", "y", "0o17", "1:20", "2001-12-14", "a b", "-", "~", "<<", ".5", "1_0"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) || s == "" {
			return
		}
		obj := kfn.NewEmptyKubeObject()
		if err := obj.SetNestedStringMap(map[string]string{"k" + s: s}, "data"); err != nil {
			return
		}
		QuoteForYAML11(kfn.KubeObjects{obj})
		var back struct {
			Data map[string]string `yaml:"data"`
		}
		if err := yamlv2.Unmarshal([]byte(obj.String()), &back); err != nil {
			t.Skipf("yaml.v2 cannot read %q at all: %v", obj.String(), err)
		}
		if got := back.Data["k"+s]; got != s {
			t.Errorf("%q read back as %q from\n%s", s, got, obj.String())
		}
	})
}

func TestMaxYAML11Word(t *testing.T) {
	longest := 0
	for w := range yaml11Words {
		longest = max(longest, len(w))
	}
	if longest != maxYAML11Word {
		t.Errorf("the longest of yaml11Words has %d characters; maxYAML11Word is %d", longest, maxYAML11Word)
	}
}

// TestMayMatchNumber holds the pre-filter to the expressions it spares:
// whenever it says no, neither expression matches. Every string of up to
// four bytes over the expressions' own alphabet and a few others, and
// random longer ones.
func TestMayMatchNumber(t *testing.T) {
	const alphabet = "0159+-_:. \txXbBcdCDeEfFaAinINTtZso"
	check := func(s string) {
		if mayMatchNumber(s) {
			return
		}
		plain := strings.ReplaceAll(s, "_", "")
		if yaml11Number().MatchString(s) || yamlV2Float().MatchString(plain) {
			t.Errorf("mayMatchNumber(%q) is false, but an expression matches it", s)
		}
	}
	var gen func(prefix string, n int)
	gen = func(prefix string, n int) {
		check(prefix)
		if n == 0 {
			return
		}
		for i := range len(alphabet) {
			gen(prefix+alphabet[i:i+1], n-1)
		}
	}
	gen("", 4)
	rng := rand.New(rand.NewPCG(1, 2))
	for range 200000 {
		b := make([]byte, 5+rng.IntN(30))
		for i := range b {
			b[i] = alphabet[rng.IntN(len(alphabet))]
		}
		check(string(b))
	}
	for _, s := range []string{"2001-12-14t21:59:43.10-05:00", "2001-12-14 21:59:43.10 -5", "-.inf", ".NaN", "0x1F", "0b101", "1E+3", "1:20.5"} {
		if !mayMatchNumber(s) {
			t.Errorf("mayMatchNumber(%q) is false; the expressions match it", s)
		}
	}
	for _, s := range []string{"1.1.1.1-2", "192.0.2.10", "1s", "59722c5c19d5df968fa6ace5d0dd631510174b32875e864d42f3ba02f6392491"} {
		if mayMatchNumber(s) {
			t.Errorf("mayMatchNumber(%q) is true; it should spare the expressions", s)
		}
	}
}
