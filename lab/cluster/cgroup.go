package cluster

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// cgroupMount is where the machine mounts its cgroup hierarchies, one
// directory per v1 controller (and unified for the v2 one in hybrid mode).
const cgroupMount = "/sys/fs/cgroup"

// hierarchies lists the mounted cgroup hierarchies (directories of
// cgroupMount that are cgroup file systems).
func hierarchies() ([]string, error) {
	data, err := os.ReadFile("/proc/self/mountinfo")
	if err != nil {
		return nil, fmt.Errorf("cgroups: %w", err)
	}
	var out []string
	for _, line := range strings.Split(string(data), "\n") {
		f := strings.Fields(line)
		sep := -1
		for i, s := range f {
			if s == "-" {
				sep = i
				break
			}
		}
		if sep < 0 || sep+1 >= len(f) || len(f) < 5 {
			continue
		}
		if typ := f[sep+1]; (typ == "cgroup" || typ == "cgroup2") && filepath.Dir(f[4]) == cgroupMount {
			out = append(out, f[4])
		}
	}
	if len(out) == 0 {
		return nil, errors.New("cgroups: no cgroup hierarchy mounted below " + cgroupMount)
	}
	sort.Strings(out)
	return out, nil
}

// makeCgroup creates rel (e.g. "ipflab-x/worker-1") in every hierarchy,
// with cpuset's cpus and mems copied from the parent, as v1 requires before
// a task or child may join.
func makeCgroup(rel string) error {
	hs, err := hierarchies()
	if err != nil {
		return err
	}
	for _, h := range hs {
		parts := strings.Split(rel, "/")
		for i := range parts {
			dir := filepath.Join(h, filepath.Join(parts[:i+1]...))
			if err := os.Mkdir(dir, 0o755); err != nil && !errors.Is(err, fs.ErrExist) {
				return fmt.Errorf("cgroups: %w", err)
			}
			if filepath.Base(h) == "cpuset" {
				for _, f := range []string{"cpuset.cpus", "cpuset.mems"} {
					v, err := os.ReadFile(filepath.Join(filepath.Dir(dir), f))
					if err != nil {
						return fmt.Errorf("cgroups: %w", err)
					}
					if err := os.WriteFile(filepath.Join(dir, f), v, 0o644); err != nil {
						return fmt.Errorf("cgroups: %s: %w", dir, err)
					}
				}
			}
		}
	}
	return nil
}

// joinCgroup moves pid into rel in every hierarchy.
func joinCgroup(rel string, pid int) error {
	hs, err := hierarchies()
	if err != nil {
		return err
	}
	for _, h := range hs {
		p := filepath.Join(h, rel, "cgroup.procs")
		if err := os.WriteFile(p, []byte(strconv.Itoa(pid)), 0o644); err != nil {
			return fmt.Errorf("cgroups: moving %d to %s: %w", pid, p, err)
		}
	}
	return nil
}

// cgroupPIDs lists every process in rel or below, in any hierarchy.
func cgroupPIDs(rel string) []int {
	hs, err := hierarchies()
	if err != nil {
		return nil
	}
	seen := map[int]bool{}
	var out []int
	for _, h := range hs {
		_ = filepath.WalkDir(filepath.Join(h, rel), func(path string, d fs.DirEntry, err error) error {
			if err != nil || !d.IsDir() {
				return nil
			}
			data, err := os.ReadFile(filepath.Join(path, "cgroup.procs"))
			if err != nil {
				return nil
			}
			for _, s := range strings.Fields(string(data)) {
				if pid, err := strconv.Atoi(s); err == nil && !seen[pid] {
					seen[pid] = true
					out = append(out, pid)
				}
			}
			return nil
		})
	}
	return out
}

// removeCgroup removes rel and everything below it from every hierarchy,
// deepest first. The cgroups must hold no process.
func removeCgroup(rel string) error {
	hs, err := hierarchies()
	if err != nil {
		return err
	}
	var errs []error
	for _, h := range hs {
		var dirs []string
		_ = filepath.WalkDir(filepath.Join(h, rel), func(path string, d fs.DirEntry, err error) error {
			if err == nil && d.IsDir() {
				dirs = append(dirs, path)
			}
			return nil
		})
		for i := len(dirs) - 1; i >= 0; i-- {
			if err := os.Remove(dirs[i]); err != nil && !errors.Is(err, fs.ErrNotExist) {
				errs = append(errs, fmt.Errorf("cgroups: %w", err))
			}
		}
	}
	return errors.Join(errs...)
}
