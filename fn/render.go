package fn

import (
	"fmt"
	"path"

	kfn "github.com/kptdev/krm-functions-sdk/go/fn"
	"sigs.k8s.io/kustomize/kyaml/kio/kioutil"
	"sigs.k8s.io/kustomize/kyaml/yaml"

	"github.com/failoverkit/ipfailover/api/v1alpha1"
)

// Output is the outcome of Render.
type Output struct {
	// Items are, on success, the input items with every object generated
	// by an earlier render removed and each IPFailover followed by the
	// objects generated from it now; on failure, the input items unchanged.
	Items kfn.KubeObjects
	// Generated are the generated objects alone, in render order; nil on
	// failure. The cleanup Jobs of one IPFailover share the YAML nodes
	// below the fields that name their node (see plan.nodes): Copy one
	// before changing anything but its metadata.
	Generated kfn.KubeObjects
	// Results are the findings: errors, warnings and notes.
	Results kfn.Results
}

// Failed reports whether any result is an error; nothing was rendered then.
func (o *Output) Failed() bool { return o.Results.ExitCode() != 0 }

// source is one IPFailover to render and what became of it.
type source struct {
	obj      *kfn.KubeObject
	item     int // index in the input items, -1 for the functionConfig
	plan     *plan
	problems problems
	objects  kfn.KubeObjects
}

func (s *source) ok() bool { return s.plan != nil && !s.problems.hasErrors() }

// Render expands every IPFailover among items, and config when it is an
// IPFailover that items do not hold too, into its objects. Every problem
// of every IPFailover is reported; when any is an error, nothing is
// rendered. Objects that carry AnnotationOwner are the output of an
// earlier render: they are replaced, not treated as conflicting input, so
// rendering the output again yields the same output.
func Render(items kfn.KubeObjects, config *kfn.KubeObject) *Output {
	out := &Output{Items: items}
	srcs := gather(items, config, &out.Results)
	for _, s := range srcs {
		if s.problems.hasErrors() {
			continue
		}
		ipf, probs := decode(s.obj)
		s.problems = append(s.problems, probs...)
		if ipf == nil {
			continue
		}
		p, probs := newPlan(ipf)
		s.problems = append(s.problems, s.problems.unreported(probs)...)
		s.plan = p
	}
	crossCheck(srcs)
	generate(srcs, items)
	for _, s := range srcs {
		for _, pr := range s.problems {
			out.Results = append(out.Results, result(s.obj, pr))
		}
	}
	if out.Failed() {
		return out
	}
	out.Items, out.Generated = assemble(items, srcs, &out.Results)
	return out
}

// gather finds the IPFailovers to render: those among items, and config
// unless an item has its identity (kpt and kustomize pass the config both
// ways). Two IPFailovers with one identity are an error.
func gather(items kfn.KubeObjects, config *kfn.KubeObject, results *kfn.Results) []*source {
	var srcs []*source
	seen := map[string]*source{}
	add := func(obj *kfn.KubeObject, item int) {
		id := identity(obj)
		if first, dup := seen[id]; dup {
			if item < 0 {
				return // the functionConfig, also among the items
			}
			s := &source{obj: obj, item: item}
			s.problems.errorf("metadata.name", "IPFailover %s/%s is in the input twice (also at %s): remove one",
				obj.GetNamespace(), obj.GetName(), location(first.obj))
			srcs = append(srcs, s)
			return
		}
		s := &source{obj: obj, item: item}
		seen[id] = s
		srcs = append(srcs, s)
	}
	for i, it := range items {
		switch {
		case IsIPFailover(it):
			add(it, i)
		case it.GroupVersionKind().Group == v1alpha1.Group:
			// Passed through, it would reach the API server, which serves
			// no such kind; the object was meant to be rendered.
			*results = append(*results, kfn.ConfigObjectResult(fmt.Sprintf(
				"kind %q is not a kind of %s: the only kind is %s (case matters)", it.GetKind(), v1alpha1.Group, v1alpha1.Kind), it, kfn.Error))
		}
	}
	if config != nil && !config.IsEmpty() {
		switch {
		case IsIPFailover(config):
			add(config, -1)
		case isEmptyFunctionInput(config):
			// kpt fn eval without --fn-config passes an empty ConfigMap.
		default:
			*results = append(*results, kfn.ConfigObjectResult(fmt.Sprintf(
				"the function config is a %s; ipfailover-render takes an IPFailover as its config, or none (then it renders every IPFailover among the items)",
				config.GetKind()), config, kfn.Error))
		}
	}
	return srcs
}

// isEmptyFunctionInput reports whether config is a ConfigMap without data,
// which kpt passes when no config is given.
func isEmptyFunctionInput(config *kfn.KubeObject) bool {
	if config.GetKind() != "ConfigMap" || config.GetAPIVersion() != "v1" {
		return false
	}
	data, _, _ := config.NestedStringMap("data")
	return len(data) == 0
}

// generate builds the objects of every valid source and reports the
// identities that two sources, or a source and a foreign input object,
// would both own.
func generate(srcs []*source, items kfn.KubeObjects) {
	if anyErrors(srcs) {
		return
	}
	owners := map[string]*source{}
	foreign := map[string]bool{}
	for _, it := range items {
		if it.GetAnnotation(AnnotationOwner) == "" && !it.IsLocalConfig() && !IsIPFailover(it) {
			foreign[identity(it)] = true
		}
	}
	for _, s := range srcs {
		file := generatedPath(s.obj, s.plan)
		nodes, err := s.plan.nodes()
		if err != nil {
			s.problems.errorf("", "internal error: %v", err)
			continue
		}
		for i, n := range nodes {
			located := setLocation(n, file, i)
			obj := kfn.MoveToKubeObject(yaml.NewRNode(n))
			if !located {
				_ = obj.SetAnnotation(kioutil.PathAnnotation, file)
				_ = obj.SetAnnotation(kioutil.IndexAnnotation, fmt.Sprint(i))
			}
			id := identity(obj)
			switch other := owners[id]; {
			case other != nil:
				s.problems.errorf(collisionField(obj), "generates %s %s/%s, which IPFailover %s generates too: rename one of them",
					obj.GetKind(), obj.GetNamespace(), obj.GetName(), other.plan.owner())
			case foreign[id]:
				s.problems.errorf(collisionField(obj), "generates %s %s/%s, but the input already holds one that it did not generate (no %s annotation): remove that object, or choose another name",
					obj.GetKind(), obj.GetNamespace(), obj.GetName(), AnnotationOwner)
			}
			owners[id] = s
			s.objects = append(s.objects, obj)
		}
	}
}

// collisionField is the spec field that names a generated object.
func collisionField(obj *kfn.KubeObject) string {
	switch obj.GetKind() {
	case "ServiceAccount":
		return "spec.serviceAccountName"
	case "Job":
		return "spec.nodes"
	}
	return "metadata.name"
}

// assemble puts the generated objects after their IPFailover and drops the
// output of earlier renders, noting the objects whose IPFailover is gone.
func assemble(items kfn.KubeObjects, srcs []*source, results *kfn.Results) (all, generated kfn.KubeObjects) {
	byItem := map[int]*source{}
	present := map[string]bool{}
	for _, s := range srcs {
		byItem[s.item] = s
		present[s.plan.owner()] = true
	}
	for _, it := range items {
		if owner := it.GetAnnotation(AnnotationOwner); owner != "" && !present[owner] {
			*results = append(*results, kfn.ConfigObjectResult(fmt.Sprintf(
				"dropped: generated from IPFailover %s, which is not in the input any more", owner), it, kfn.Warning))
		}
	}
	for i, it := range items {
		if it.GetAnnotation(AnnotationOwner) != "" {
			continue
		}
		all = append(all, it)
		if s := byItem[i]; s != nil {
			all = append(all, s.objects...)
			generated = append(generated, s.objects...)
		}
	}
	if s := byItem[-1]; s != nil {
		all = append(all, s.objects...)
		generated = append(generated, s.objects...)
	}
	return all, generated
}

func anyErrors(srcs []*source) bool {
	for _, s := range srcs {
		if !s.ok() {
			return true
		}
	}
	return false
}

// identity is the group, kind, namespace and name of obj.
func identity(obj *kfn.KubeObject) string {
	gk := obj.GroupKind()
	return gk.Group + "/" + gk.Kind + "/" + obj.GetNamespace() + "/" + obj.GetName()
}

// sourcePath is the file an input object came from, when known.
func sourcePath(obj *kfn.KubeObject) string {
	if p := obj.GetAnnotation(kioutil.PathAnnotation); p != "" {
		return p
	}
	return obj.GetAnnotation(kioutil.LegacyPathAnnotation)
}

// location names where an object came from, for messages.
func location(obj *kfn.KubeObject) string {
	if p := sourcePath(obj); p != "" {
		return p
	}
	return "the function config"
}

// generatedPath is the file kpt writes a set's objects to:
// "<dir of the IPFailover>/generated/<namespace>_<name>.yaml" ('_' cannot
// occur in either name, so no two sets share a file).
func generatedPath(obj *kfn.KubeObject, p *plan) string {
	dir := ""
	if src := sourcePath(obj); src != "" {
		dir = path.Dir(src)
	}
	return path.Join(dir, "generated", p.namespace+"_"+p.name+".yaml")
}

// result turns a problem of obj into a KRM result.
func result(obj *kfn.KubeObject, pr problem) *kfn.Result {
	r := &kfn.Result{
		Message:  pr.Message,
		Severity: pr.Severity,
		ResourceRef: &kfn.ResourceRef{
			APIVersion: obj.GetAPIVersion(),
			Kind:       obj.GetKind(),
			Name:       obj.GetName(),
			Namespace:  obj.GetNamespace(),
		},
	}
	if pr.Field != "" {
		r.Field = &kfn.Field{Path: pr.Field}
	}
	if p := sourcePath(obj); p != "" {
		r.File = &kfn.File{Path: p, Index: max(obj.IndexAnnotation(), 0)}
	}
	return r
}
