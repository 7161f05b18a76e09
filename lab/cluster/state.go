package cluster

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// Info is what a person or a script needs to use the lab; Up writes it to
// lab.json in the lab's directory.
type Info struct {
	// Kubeconfig is the admin kubeconfig; its server is the forwarder on
	// 127.0.0.1.
	Kubeconfig string     `json:"kubeconfig"`
	Nodes      []NodeInfo `json:"nodes"`
	Client     ClientInfo `json:"client"`
}

// NodeInfo describes one worker node.
type NodeInfo struct {
	Name      string `json:"name"`
	Netns     string `json:"netns"`
	Address   string `json:"address"`
	Interface string `json:"interface"`
}

// ClientInfo describes the client namespace, from which the VIPs are
// reached as from outside the nodes.
type ClientInfo struct {
	Netns   string `json:"netns"`
	Address string `json:"address"`
}

// state is everything Up created, written to state.json so that Down, in
// another process, removes exactly that.
type state struct {
	ID         string            `json:"id"`
	Dir        string            `json:"dir"`
	RunDir     string            `json:"runDir,omitempty"`
	Bins       string            `json:"bins,omitempty"`
	Switch     string            `json:"switch,omitempty"`
	Namespaces []string          `json:"namespaces"`
	Cgroup     string            `json:"cgroup"`
	Procs      []Proc            `json:"procs"`
	Sysctls    map[string]string `json:"sysctls"` // values before kubelet changed them
}

const (
	infoFile  = "lab.json"
	stateFile = "state.json"
)

func writeJSON(path string, v any) error {
	data, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, append(data, '\n'), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

func readJSON(path string, v any) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(data, v); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

// ErrNotUp is returned by Load and Down when dir holds no lab.
var ErrNotUp = errors.New("no lab is up")

func loadState(dir string) (*state, error) {
	var st state
	if err := readJSON(filepath.Join(dir, stateFile), &st); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("%s: %w", dir, ErrNotUp)
		}
		return nil, err
	}
	return &st, nil
}

// save writes the state; Up calls it after every step, so that a failed
// Up leaves a state Down can remove.
func (st *state) save() error {
	return writeJSON(filepath.Join(st.Dir, stateFile), st)
}
