package schema

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

func TestParseDocs(t *testing.T) {
	dir := t.TempDir()
	src := `// Package p is documented.
//
// +groupName=example.com
package p

// T is a type.
//
// It has two paragraphs.
// +kubebuilder:resource:scope=Cluster
type T struct {
	// A is a field
	// on two lines.
	// +optional
	// +kubebuilder:validation:Minimum=1
	A int32 ` + "`json:\"a,omitempty\"`" + `

	// Embedded by type name.
	Inner

	B, C string
}

type (
	// Inner is grouped.
	Inner struct{}
)
`
	if err := os.WriteFile(filepath.Join(dir, "p.go"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	docs, err := ParseDocs(dir)
	if err != nil {
		t.Fatal(err)
	}
	want := Docs{
		"":        {Text: "Package p is documented.", Markers: []string{"+groupName=example.com"}},
		"T":       {Text: "T is a type.\n\nIt has two paragraphs.", Markers: []string{"+kubebuilder:resource:scope=Cluster"}},
		"T.A":     {Text: "A is a field on two lines.", Markers: []string{"+optional", "+kubebuilder:validation:Minimum=1"}},
		"T.Inner": {Text: "Embedded by type name."},
		"T.B":     {},
		"T.C":     {},
		"Inner":   {Text: "Inner is grouped."},
	}
	if !reflect.DeepEqual(docs, want) {
		t.Errorf("got %#v\nwant %#v", docs, want)
	}
	if v, ok := docs["T.A"].Marker("+kubebuilder:validation:Minimum"); !ok || v != "1" {
		t.Errorf("Marker(Minimum) = %q, %t", v, ok)
	}
	if _, ok := docs["T.A"].Marker("+optional"); !ok {
		t.Error("Marker(+optional) not found")
	}
	if _, ok := docs["T.B"].Marker("+optional"); ok {
		t.Error("B has no +optional marker")
	}
}

func TestParseDocsNoSource(t *testing.T) {
	if _, err := ParseDocs(t.TempDir()); err == nil {
		t.Error("no error for a directory without Go files")
	}
}

func TestUnsupportedMarker(t *testing.T) {
	p := Props{Type: "string"}
	if err := applyMarkers(&p, Doc{Markers: []string{"+kubebuilder:validation:Pattern=^a$"}}, reflect.TypeFor[string]()); err == nil {
		t.Error("an unsupported validation marker was ignored; it must fail so the schema never silently loses a rule")
	}
}
