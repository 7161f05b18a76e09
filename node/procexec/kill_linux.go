package procexec

import (
	"bytes"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// sweepRounds bounds the kill sweeps of one run: a process forking while
// it is swept is caught by the next round. The sweep ends after
// quietRounds rounds in a row find nothing, sweepPause apart: a process in
// the middle of execve shows an empty environment for a moment.
const (
	sweepRounds = 20
	quietRounds = 2
	sweepPause  = 2 * time.Millisecond
)

// killTree SIGKILLs the process group of the script (its PID is the
// group's ID) and every process whose environment carries mark, then reaps
// those that were reparented to this process (when it is PID 1 or a
// subreaper), so none is left a zombie. The script itself is left for
// exec.Cmd.Wait to reap.
func killTree(script int, mark string) {
	_ = syscall.Kill(-script, syscall.SIGKILL)
	needle := []byte(MarkVar + "=" + mark)
	self := os.Getpid()
	quiet := 0
	for i := 0; i < sweepRounds && quiet < quietRounds; i++ {
		if i > 0 {
			time.Sleep(sweepPause)
		}
		pids := marked(needle)
		if len(pids) == 0 {
			quiet++
			continue
		}
		quiet = 0
		for _, pid := range pids {
			_ = syscall.Kill(pid, syscall.SIGKILL)
		}
		for _, pid := range pids {
			if pid != script && parentOf(pid) == self {
				reap(pid)
			}
		}
	}
}

// marked lists the live processes whose environment contains needle. A
// zombie has no environment left and is not listed.
func marked(needle []byte) []int {
	d, err := os.Open("/proc")
	if err != nil {
		return nil
	}
	defer d.Close()
	names, err := d.Readdirnames(-1)
	if err != nil {
		return nil
	}
	self := os.Getpid()
	var out []int
	for _, name := range names {
		pid, err := strconv.Atoi(name)
		if err != nil || pid == self {
			continue
		}
		env, err := os.ReadFile("/proc/" + name + "/environ")
		if err != nil {
			continue
		}
		if bytes.Contains(env, needle) {
			out = append(out, pid)
		}
	}
	return out
}

// parentOf returns the parent PID from /proc/pid/stat, or 0.
func parentOf(pid int) int {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0
	}
	// The command name in parentheses may hold spaces: fields start after ')'.
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return 0
	}
	f := strings.Fields(string(b[i+1:]))
	if len(f) < 2 {
		return 0
	}
	ppid, _ := strconv.Atoi(f[1])
	return ppid
}

// reap waits, bounded, for a killed child of ours that is not an exec.Cmd's.
func reap(pid int) {
	for range 50 {
		var ws unix.WaitStatus
		got, err := unix.Wait4(pid, &ws, unix.WNOHANG, nil)
		if got == pid || err != nil {
			return
		}
		time.Sleep(2 * time.Millisecond)
	}
}
