package cluster

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"time"
)

// Down takes the lab in dir down: every process it started (and every
// process in its cgroups: containerd's shims, the pods), every mount below
// its directories, its namespaces, cgroups and directories; it puts back the
// kernel settings kubelet changed. It goes on past failures and returns
// them all.
func Down(dir string) error {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return err
	}
	st, err := loadState(dir)
	if err != nil {
		return err
	}
	var errs []error
	// kubelets first, gracefully, so that they stop restarting pods.
	for _, p := range st.Procs {
		if strings.HasSuffix(p.Name, "-kubelet") {
			errs = append(errs, p.Stop(10*time.Second))
		}
	}
	// Then everything in the lab's cgroups, at once.
	if st.Cgroup != "" {
		errs = append(errs, killCgroup(st.Cgroup))
	}
	for i := len(st.Procs) - 1; i >= 0; i-- {
		errs = append(errs, st.Procs[i].Stop(5*time.Second))
	}
	for _, d := range []string{st.RunDir, st.Dir} {
		if d != "" {
			errs = append(errs, unmountBelow(d))
		}
	}
	for i := len(st.Namespaces) - 1; i >= 0; i-- {
		errs = append(errs, deleteNamespace(st.Namespaces[i]))
	}
	if st.Cgroup != "" {
		errs = append(errs, removeCgroup(st.Cgroup))
	}
	errs = append(errs, st.restoreSysctls())
	if st.RunDir != "" {
		errs = append(errs, os.RemoveAll(st.RunDir))
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("lab down: %w (state kept in %s)", err, filepath.Join(dir, stateFile))
	}
	return os.RemoveAll(dir)
}

// killCgroup SIGKILLs every process in the cgroup tree until it is empty
// (bounded: 10 s).
func killCgroup(rel string) error {
	deadline := time.Now().Add(10 * time.Second)
	for {
		pids := cgroupPIDs(rel)
		if len(pids) == 0 {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("cgroup %s still holds processes %v", rel, pids)
		}
		for _, pid := range pids {
			_ = syscall.Kill(pid, syscall.SIGKILL)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// unmountBelow detaches every mount whose mount point is dir or below it,
// deepest first.
func unmountBelow(dir string) error {
	var errs []error
	for range 5 { // mounts can stack: a few passes
		data, err := os.ReadFile("/proc/self/mountinfo")
		if err != nil {
			return err
		}
		var points []string
		for _, line := range strings.Split(string(data), "\n") {
			f := strings.Fields(line)
			if len(f) < 5 {
				continue
			}
			mp := unescapeMount(f[4])
			if mp == dir || strings.HasPrefix(mp, dir+"/") {
				points = append(points, mp)
			}
		}
		if len(points) == 0 {
			return nil
		}
		sort.Slice(points, func(i, j int) bool { return len(points[i]) > len(points[j]) })
		errs = nil
		for _, mp := range points {
			if err := syscall.Unmount(mp, syscall.MNT_DETACH); err != nil && !errors.Is(err, syscall.EINVAL) && !errors.Is(err, syscall.ENOENT) {
				errs = append(errs, fmt.Errorf("unmounting %s: %w", mp, err))
			}
		}
	}
	return errors.Join(errs...)
}

// unescapeMount undoes mountinfo's octal escapes (\040 for a space).
func unescapeMount(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+3 < len(s) {
			var v byte
			ok := true
			for _, c := range s[i+1 : i+4] {
				if c < '0' || c > '7' {
					ok = false
					break
				}
				v = v*8 + byte(c-'0')
			}
			if ok {
				b.WriteByte(v)
				i += 3
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}
