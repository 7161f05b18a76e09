package procexec

import (
	"bufio"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"strings"
	"syscall"
)

// Reason names, in words, why a script could not start; it is also the
// value of the reason label on the agent's script failure counter.
type Reason string

// Reasons a script cannot start, and the other ways a run fails.
const (
	ReasonNotFound           Reason = "file-not-found"
	ReasonInterpreterMissing Reason = "interpreter-not-found"
	ReasonCRLF               Reason = "shebang-ends-in-cr"
	ReasonNotExecutable      Reason = "not-executable"
	ReasonExecFormat         Reason = "not-a-program"
	ReasonStart              Reason = "cannot-start"
	ReasonExitStatus         Reason = "exit-status"
	ReasonTimeout            Reason = "timeout"
	ReasonStopped            Reason = "stopped"
)

// StartError is a script that could not be started, with the cause in words.
type StartError struct {
	Path   string
	Reason Reason
	Detail string // the sentence for a person
	Err    error  // the error of exec
}

func (e *StartError) Error() string {
	return fmt.Sprintf("cannot start %s: %s (%v)", e.Path, e.Detail, e.Err)
}

func (e *StartError) Unwrap() error { return e.Err }

// ReasonOf classifies an error returned by Run; it is "" for nil and for
// errors that did not come from Run.
func ReasonOf(err error) Reason {
	var se *StartError
	var ee *exec.ExitError
	switch {
	case err == nil:
		return ""
	case errors.As(err, &se):
		return se.Reason
	case errors.Is(err, ErrTimeout):
		return ReasonTimeout
	case errors.Is(err, ErrStopped):
		return ReasonStopped
	case errors.As(err, &ee), errors.Is(err, errExit):
		return ReasonExitStatus
	}
	return ""
}

// Diagnose checks, without running it, that path can be started, and
// returns a *StartError naming what is wrong, or nil.
func Diagnose(path string) error {
	fi, err := os.Stat(path)
	switch {
	case err != nil:
		return describeStart(path, err)
	case fi.IsDir():
		return &StartError{Path: path, Reason: ReasonNotExecutable, Detail: "it is a directory", Err: syscall.EISDIR}
	case fi.Mode().Perm()&0o111 == 0:
		return &StartError{Path: path, Reason: ReasonNotExecutable,
			Detail: fmt.Sprintf("the file is not executable (mode %v): chmod +x it, or set defaultMode on its ConfigMap volume", fi.Mode().Perm()),
			Err:    syscall.EACCES}
	}
	if e := shebangProblem(path); e != nil {
		return e
	}
	return nil
}

// describeStart turns the error of starting path into a *StartError that
// says why, looking at the file and its #! line.
func describeStart(path string, err error) error {
	se := &StartError{Path: path, Reason: ReasonStart, Detail: "exec failed", Err: err}
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if _, serr := os.Stat(path); serr != nil {
			se.Reason, se.Detail = ReasonNotFound, "the file does not exist"
			return se
		}
		if e := shebangProblem(path); e != nil {
			e.Err = err
			return e
		}
		se.Reason, se.Detail = ReasonInterpreterMissing, "the interpreter it needs does not exist"
	case errors.Is(err, syscall.EACCES), errors.Is(err, fs.ErrPermission):
		if e, ok := Diagnose(path).(*StartError); ok && e != nil {
			e.Err = err
			return e
		}
		se.Reason, se.Detail = ReasonNotExecutable, "permission denied (is the file executable and its file system mounted with exec?)"
	case errors.Is(err, syscall.ENOEXEC):
		se.Reason, se.Detail = ReasonExecFormat, "it is neither a program nor a script starting with #!"
	}
	return se
}

// shebangProblem reports a #! line whose interpreter cannot run: one
// ending in \r (a file saved with DOS line endings) or naming a program
// that does not exist.
func shebangProblem(path string) *StartError {
	f, err := os.Open(path)
	if err != nil {
		return nil
	}
	defer f.Close()
	line, err := bufio.NewReader(f).ReadString('\n')
	if err != nil && line == "" {
		return nil
	}
	if !strings.HasPrefix(line, "#!") {
		return nil
	}
	line = strings.TrimSuffix(line, "\n")
	fields := strings.Fields(strings.TrimPrefix(line, "#!"))
	if len(fields) == 0 {
		return &StartError{Path: path, Reason: ReasonInterpreterMissing, Detail: "its #! line names no interpreter", Err: syscall.ENOENT}
	}
	if strings.HasSuffix(line, "\r") {
		// The kernel splits the #! line at spaces and tabs only, so the
		// \r becomes part of the interpreter's (or its argument's) name.
		rest := strings.TrimLeft(strings.TrimPrefix(line, "#!"), " \t")
		name, _, _ := strings.Cut(rest, " ")
		return &StartError{Path: path, Reason: ReasonCRLF,
			Detail: fmt.Sprintf("its #! line ends in \\r (DOS line endings), so the kernel looks for %q: convert the file to Unix line endings", name),
			Err:    syscall.ENOENT}
	}
	interp := fields[0]
	if _, err := os.Stat(interp); err != nil {
		return &StartError{Path: path, Reason: ReasonInterpreterMissing,
			Detail: fmt.Sprintf("the interpreter %s named on its #! line does not exist in this image", interp), Err: syscall.ENOENT}
	}
	return nil
}
