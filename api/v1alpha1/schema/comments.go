package schema

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
)

// Doc is the documentation of a type or field: its text, without markers,
// and its markers ("+optional", "+kubebuilder:validation:Minimum=0", …).
type Doc struct {
	Text    string
	Markers []string
}

// Marker returns the value of the marker name ("+name=value"), and
// whether the marker is present at all ("+name" alone has value "").
func (d Doc) Marker(name string) (string, bool) {
	for _, m := range d.Markers {
		if m == name {
			return "", true
		}
		if v, ok := strings.CutPrefix(m, name+"="); ok {
			return v, true
		}
	}
	return "", false
}

// Docs holds the documentation of a Go package's types, keyed by type name
// ("IPFailoverSpec") and by type and field ("IPFailoverSpec.VirtualIPs");
// the key "" holds the package documentation.
type Docs map[string]Doc

// ParseDocs reads the doc comments of the non-test Go files in dir.
func ParseDocs(dir string) (Docs, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		return nil, err
	}
	docs := Docs{}
	fset := token.NewFileSet()
	n := 0
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		src, err := os.ReadFile(name)
		if err != nil {
			return nil, err
		}
		f, err := parser.ParseFile(fset, name, src, parser.ParseComments)
		if err != nil {
			return nil, fmt.Errorf("reading the API's doc comments: %w", err)
		}
		n++
		if f.Doc != nil {
			docs[""] = parseDoc(f.Doc)
		}
		for _, decl := range f.Decls {
			gen, ok := decl.(*ast.GenDecl)
			if !ok || gen.Tok != token.TYPE {
				continue
			}
			for _, spec := range gen.Specs {
				ts := spec.(*ast.TypeSpec)
				group := ts.Doc
				if group == nil && len(gen.Specs) == 1 {
					group = gen.Doc
				}
				docs[ts.Name.Name] = parseDoc(group)
				st, ok := ts.Type.(*ast.StructType)
				if !ok {
					continue
				}
				for _, field := range st.Fields.List {
					for _, name := range fieldNames(field) {
						docs[ts.Name.Name+"."+name] = parseDoc(field.Doc)
					}
				}
			}
		}
	}
	if n == 0 {
		return nil, fmt.Errorf("reading the API's doc comments: no Go files in %s", dir)
	}
	return docs, nil
}

// fieldNames returns the Go names of a struct field declaration: an
// embedded field is named after its type, as package reflect names it.
func fieldNames(f *ast.Field) []string {
	if len(f.Names) == 0 {
		t := f.Type
		if star, ok := t.(*ast.StarExpr); ok {
			t = star.X
		}
		switch t := t.(type) {
		case *ast.Ident:
			return []string{t.Name}
		case *ast.SelectorExpr:
			return []string{t.Sel.Name}
		}
		return nil
	}
	names := make([]string, len(f.Names))
	for i, id := range f.Names {
		names[i] = id.Name
	}
	return names
}

// parseDoc splits a comment into text and markers. Lines of a paragraph
// are joined with spaces; paragraphs are separated by a blank line.
func parseDoc(cg *ast.CommentGroup) Doc {
	var d Doc
	if cg == nil {
		return d
	}
	var paras []string
	var cur []string
	flush := func() {
		if len(cur) > 0 {
			paras = append(paras, strings.Join(cur, " "))
			cur = nil
		}
	}
	for _, line := range strings.Split(cg.Text(), "\n") {
		line = strings.TrimSpace(line)
		switch {
		case strings.HasPrefix(line, "+"):
			d.Markers = append(d.Markers, line)
		case line == "":
			flush()
		default:
			cur = append(cur, line)
		}
	}
	flush()
	d.Text = strings.Join(paras, "\n\n")
	return d
}
