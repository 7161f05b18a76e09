package cluster

import (
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
)

var netipLoopback = netip.MustParseAddr("127.0.0.1")

func netipAddrPort(a netip.Addr, port uint16) string { return netip.AddrPortFrom(a, port).String() }

func execLookPath(name string) (string, error) { return exec.LookPath(name) }

// kernelTunables are the kernel-wide sysctls kubelet sets at start
// (protectKernelDefaults: false). Up records them and Down puts them back.
var kernelTunables = []string{"vm.overcommit_memory", "vm.panic_on_oom", "kernel.panic", "kernel.panic_on_oops", "kernel.keys.root_maxkeys", "kernel.keys.root_maxbytes"}

func sysctlPath(key string) string {
	return filepath.Join("/proc/sys", strings.ReplaceAll(key, ".", "/"))
}

func (st *state) recordSysctls() error {
	if st.Sysctls != nil {
		return nil
	}
	st.Sysctls = map[string]string{}
	for _, k := range kernelTunables {
		v, err := os.ReadFile(sysctlPath(k))
		if err != nil {
			continue
		}
		st.Sysctls[k] = strings.TrimSpace(string(v))
	}
	return st.save()
}

func (st *state) restoreSysctls() error {
	for k, v := range st.Sysctls {
		if err := os.WriteFile(sysctlPath(k), []byte(v), 0o644); err != nil {
			return err
		}
	}
	return nil
}

func readCmdline(pid int) (string, error) {
	data, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "cmdline"))
	return strings.ReplaceAll(string(data), "\x00", " "), err
}
