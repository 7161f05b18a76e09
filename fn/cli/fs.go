package cli

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	kfn "github.com/kptdev/krm-functions-sdk/go/fn"
	"sigs.k8s.io/kustomize/kyaml/kio/kioutil"

	"github.com/failoverkit/ipfailover/fn"
)

// yamlFiles expands the arguments into the YAML files to read: a file is
// taken as is, a directory contributes its *.yaml and *.yml files,
// recursively, in lexical order, skipping directories whose name starts
// with a dot (.git, .expected, …).
func yamlFiles(args []string) ([]string, error) {
	var files []string
	for _, arg := range args {
		info, err := os.Stat(arg)
		if err != nil {
			return nil, err
		}
		if !info.IsDir() {
			files = append(files, arg)
			continue
		}
		err = filepath.WalkDir(arg, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() {
				if p != arg && strings.HasPrefix(d.Name(), ".") {
					return filepath.SkipDir
				}
				return nil
			}
			if ext := filepath.Ext(p); ext == ".yaml" || ext == ".yml" {
				files = append(files, p)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return files, nil
}

// readObjects reads every object of the files, annotated with the file it
// came from and its position there (for messages; stripped on output).
func readObjects(args []string) (kfn.KubeObjects, error) {
	files, err := yamlFiles(args)
	if err != nil {
		return nil, err
	}
	var objs kfn.KubeObjects
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		data, any := dropEmptyDocuments(data)
		if !any {
			continue
		}
		if err := fn.CheckObjects(data); err != nil {
			return nil, fmt.Errorf("reading %s: %w", f, err)
		}
		in, err := kfn.ParseKubeObjects(data)
		if err != nil {
			return nil, fmt.Errorf("reading %s: %w", f, err)
		}
		for i, o := range in {
			if o.IsEmpty() {
				continue
			}
			_ = o.SetAnnotation(kioutil.PathAnnotation, filepath.ToSlash(f))
			_ = o.SetAnnotation(kioutil.IndexAnnotation, fmt.Sprint(i))
			objs = append(objs, o)
		}
	}
	return objs, nil
}

// dropEmptyDocuments blanks the separator after each document that holds
// only comments or blank lines, merging it into the next one (the SDK
// refuses an empty document), so that every line keeps its number for
// messages. It reports whether any document has content.
func dropEmptyDocuments(data []byte) ([]byte, bool) {
	lines := strings.SplitAfter(string(data), "\n")
	content, any, last := false, false, -1
	for i, l := range lines {
		t := strings.TrimSpace(l)
		if rest, ok := strings.CutPrefix(l, "---"); ok {
			if r := strings.TrimSpace(rest); r == "" || r[0] == '#' {
				if !content {
					lines[i] = blankLine(l)
				} else {
					last = i
				}
				content = false
				continue
			}
		}
		if t != "" && t[0] != '#' {
			content, any = true, true
		}
	}
	if !content && last >= 0 {
		lines[last] = blankLine(lines[last]) // nothing follows the last separator
	}
	return []byte(strings.Join(lines, "")), any
}

// blankLine is an empty line in place of l, keeping its line break.
func blankLine(l string) string {
	if strings.HasSuffix(l, "\n") {
		return "\n"
	}
	return ""
}
