package agent

import (
	"testing"
	"time"
)

func TestAlignUp(t *testing.T) {
	base := time.Unix(1000, 0) // on every grid
	grid := 5 * time.Millisecond
	for _, tc := range []struct {
		now   time.Time
		after time.Duration
		want  time.Duration
	}{
		{base, 100 * time.Millisecond, 100 * time.Millisecond},                       // already on the grid
		{base.Add(time.Millisecond), 100 * time.Millisecond, 104 * time.Millisecond}, // up to the next step
		{base.Add(4999 * time.Microsecond), 100 * time.Millisecond, 100*time.Millisecond + time.Microsecond},
		{base.Add(3 * time.Millisecond), 0, 2 * time.Millisecond},
	} {
		got := alignUp(tc.now, tc.after, grid)
		if got != tc.want {
			t.Errorf("alignUp(+%s, %s) = %s, want %s", tc.now.Sub(base), tc.after, got, tc.want)
		}
		if got < tc.after || got >= tc.after+grid || tc.now.Add(got).UnixNano()%int64(grid) != 0 {
			t.Errorf("alignUp(+%s, %s) = %s: not the next grid point at or after the deadline", tc.now.Sub(base), tc.after, got)
		}
	}
	if got := alignUp(base.Add(time.Millisecond), time.Second, 0); got != time.Second {
		t.Errorf("no grid: %s", got)
	}
	// Two groups whose timers start 3 ms apart fire together.
	a := base.Add(time.Millisecond)
	b := a.Add(3 * time.Millisecond)
	if da, db := a.Add(alignUp(a, 100*time.Millisecond, grid)), b.Add(alignUp(b, 100*time.Millisecond, grid)); !da.Equal(db) {
		t.Errorf("deadlines %s and %s differ", da.Sub(base), db.Sub(base))
	}
}
