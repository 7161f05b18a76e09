package proc

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// pageSize is the size of a base page on every platform the lab runs on.
const pageSize = 4096

// pagemap entry bits (Documentation/admin-guide/mm/pagemap.rst).
const (
	pmPresent = 1 << 63
	pmPFNMask = 1<<55 - 1
)

// Pages is the memory of a set of processes (one implementation on one
// node) counted by physical page, so pages the processes share with each
// other count once. Summing RSS double-counts what keepalived's parent and
// its forked VRRP child share; summing USS (Private_Clean+Private_Dirty)
// drops it altogether. Needs root (PFNs in pagemap, /proc/kpagecount).
type Pages struct {
	// Distinct is the size of the distinct resident pages the set maps: an
	// RSS of the set as a whole.
	Distinct uint64
	// Private is the part of Distinct that no process outside the set
	// maps: what the set's exit would free, the cost of one more instance.
	Private uint64
}

// ReadPages walks the mappings of pids through /proc/<pid>/pagemap and
// checks every resident page's map count in /proc/kpagecount. A process
// that has exited meanwhile (a check script) is skipped.
func ReadPages(pids []int) (Pages, error) {
	maps := map[uint64]uint64{} // PFN -> mappings within the set
	for _, pid := range pids {
		if err := collectPFNs(pid, maps); err != nil {
			return Pages{}, err
		}
	}
	kc, err := os.Open("/proc/kpagecount")
	if err != nil {
		return Pages{}, fmt.Errorf("opening /proc/kpagecount: %w", err)
	}
	defer kc.Close()
	var p Pages
	var buf [8]byte
	for pfn, n := range maps {
		p.Distinct += pageSize
		if _, err := kc.ReadAt(buf[:], int64(pfn)*8); err != nil {
			return Pages{}, fmt.Errorf("reading the map count of page %#x: %w", pfn, err)
		}
		if binary.NativeEndian.Uint64(buf[:]) <= n {
			p.Private += pageSize
		}
	}
	return p, nil
}

// collectPFNs adds the resident pages of pid's mappings to maps.
func collectPFNs(pid int, maps map[uint64]uint64) error {
	dir := filepath.Join("/proc", strconv.Itoa(pid))
	mf, err := os.Open(filepath.Join(dir, "maps"))
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("reading the mappings of pid %d: %w", pid, err)
	}
	defer mf.Close()
	pm, err := os.Open(filepath.Join(dir, "pagemap"))
	if err != nil {
		return fmt.Errorf("opening the pagemap of pid %d: %w", pid, err)
	}
	defer pm.Close()
	sc := bufio.NewScanner(mf)
	var entries []byte
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 2 || strings.HasPrefix(f[1], "---") {
			continue // reserved address space (Go's arenas, guard pages): nothing resident
		}
		lo, hi, ok := strings.Cut(f[0], "-")
		start, err1 := strconv.ParseUint(lo, 16, 64)
		end, err2 := strconv.ParseUint(hi, 16, 64)
		if !ok || err1 != nil || err2 != nil || end <= start {
			return fmt.Errorf("pid %d: mapping line %q", pid, sc.Text())
		}
		if start >= 1<<47 {
			continue // [vsyscall]: not in pagemap's user range
		}
		n := (end - start) / pageSize
		if need := int(n * 8); cap(entries) < need {
			entries = make([]byte, need)
		}
		entries = entries[:n*8]
		if _, err := pm.ReadAt(entries, int64(start/pageSize*8)); err != nil && err != io.EOF {
			return fmt.Errorf("reading the pagemap of pid %d at %#x: %w", pid, start, err)
		}
		for i := uint64(0); i < n; i++ {
			e := binary.NativeEndian.Uint64(entries[i*8:])
			if e&pmPresent != 0 && e&pmPFNMask != 0 {
				maps[e&pmPFNMask]++
			}
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("reading the mappings of pid %d: %w", pid, err)
	}
	return nil
}
