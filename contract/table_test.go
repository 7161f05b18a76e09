package contract

import "testing"

// TestVariablesTable: every Field is carried by exactly one variable of the
// table, every name is listed once and is one the decoder knows.
func TestVariablesTable(t *testing.T) {
	seenName := map[string]bool{}
	seenField := map[Field]int{}
	for _, v := range variables {
		if seenName[v.name] {
			t.Errorf("%s listed twice", v.name)
		}
		seenName[v.name] = true
		if v.field != FieldUnknown {
			seenField[v.field]++
		}
	}
	for f := FieldUnknown + 1; f <= FieldCheckTLSInsecure; f++ {
		if seenField[f] != 1 {
			t.Errorf("field %d is carried by %d variables, want 1", f, seenField[f])
		}
		if f.EnvName() == "UNKNOWN" {
			t.Errorf("field %d has no variable", f)
		}
	}
	if len(KnownVars()) != len(variables) {
		t.Errorf("KnownVars has %d names, the table %d", len(KnownVars()), len(variables))
	}
}
