package cli

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	kfn "github.com/kptdev/krm-functions-sdk/go/fn"
	"sigs.k8s.io/kustomize/kyaml/kio/kioutil"
)

// yamlFiles expands the arguments into the YAML files to read: a file is
// taken as is, a directory contributes its *.yaml and *.yml files,
// recursively, in lexical order, skipping directories whose name starts
// with a dot (.git, .expected, …), its kustomization file (kustomize's
// instructions, not an object to apply) and subdirectories that hold their
// own kustomization (another kustomize root, such as an overlay).
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
				if p != arg && (strings.HasPrefix(d.Name(), ".") || kustomizeRoot(p)) {
					return filepath.SkipDir
				}
				return nil
			}
			if slices.Contains(kustomizationFiles, d.Name()) {
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

// kustomizeRoot reports whether dir holds a kustomization.
func kustomizeRoot(dir string) bool {
	for _, name := range kustomizationFiles {
		if _, err := os.Stat(filepath.Join(dir, name)); err == nil {
			return true
		}
	}
	return false
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
		if strings.TrimSpace(string(data)) == "" {
			continue
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
