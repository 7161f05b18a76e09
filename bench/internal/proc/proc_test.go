package proc

import (
	"os"
	"testing"
)

func TestParseStat(t *testing.T) {
	line := "4242 (keep alived) S 4241 4242 4242 0 -1 4194560 100 0 0 0 17 23 5 7 20 0 1 0 100 0 0\n"
	s, err := parseStat([]byte(line))
	if err != nil {
		t.Fatal(err)
	}
	want := Stat{PID: 4242, PPID: 4241, Comm: "keep alived", UTime: 17, STime: 23, CUTime: 5, CSTime: 7}
	if s != want {
		t.Fatalf("parseStat = %+v, want %+v", s, want)
	}
	if _, err := parseStat([]byte("1 (x) S 0")); err == nil {
		t.Fatal("a short stat line parsed without error")
	}
}

func TestParseRollup(t *testing.T) {
	in := "55d0-7ffe ---p 00000000 00:00 0 [rollup]\nRss:                3072 kB\nPss:                1024 kB\nPss_Anon:            512 kB\n" +
		"Private_Clean:        64 kB\nPrivate_Dirty:       256 kB\n"
	m, err := parseRollup([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	if m.RSS != 3072*1024 || m.PSS != 1024*1024 || m.USS != 320*1024 {
		t.Fatalf("parseRollup = %+v", m)
	}
	if _, err := parseRollup([]byte("Rss: 1 kB\n")); err == nil {
		t.Fatal("a rollup without Pss parsed without error")
	}
}

func TestReadPagesSelf(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("PFNs in pagemap need root")
	}
	p, err := ReadPages([]int{os.Getpid()})
	if err != nil {
		t.Fatal(err)
	}
	m, err := ReadMem(os.Getpid())
	if err != nil {
		t.Fatal(err)
	}
	// Distinct pages of one process are its RSS, give or take what
	// changed between the two reads.
	if p.Distinct == 0 || p.Private > p.Distinct || p.Distinct > 2*m.RSS || 2*p.Distinct < m.RSS {
		t.Fatalf("ReadPages = %+v, RSS %d", p, m.RSS)
	}
}
