package cli

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
)

// RuntimeInfoFile is the name of the file, inside the data directory, in which the running
// zoneops binary says where it listens. zonectl reads it so that a developer who ran
// `make run` needs no URLs at all.
const RuntimeInfoFile = "zoneops.json"

// RuntimeInfo is the content of RuntimeInfoFile.
type RuntimeInfo struct {
	// NATSURL is the client URL of the NATS server the services use.
	NATSURL string `json:"nats_url"`
	// Services maps a service name ("tenants", "allocation", ...) to the base URL of its HTTP
	// API.
	Services map[string]string `json:"services"`
}

// WriteRuntimeInfo writes info to dir/RuntimeInfoFile, creating dir if needed. It writes a
// temporary file and renames it, so a zonectl reading at the same moment sees the old file or
// the new one, never half of one.
func WriteRuntimeInfo(dir string, info RuntimeInfo) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("runtime info: %w", err)
	}
	data, err := json.MarshalIndent(info, "", "  ")
	if err != nil {
		return fmt.Errorf("runtime info: %w", err)
	}
	tmp, err := os.CreateTemp(dir, RuntimeInfoFile+".*")
	if err != nil {
		return fmt.Errorf("runtime info: %w", err)
	}
	defer os.Remove(tmp.Name()) // a no-op once the rename succeeded
	if _, err := tmp.Write(append(data, '\n')); err != nil {
		tmp.Close()
		return fmt.Errorf("runtime info: write %s: %w", tmp.Name(), err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("runtime info: write %s: %w", tmp.Name(), err)
	}
	// CreateTemp makes the file 0600; the file holds no secret and other local users' zonectl
	// may read it.
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return fmt.Errorf("runtime info: %w", err)
	}
	path := filepath.Join(dir, RuntimeInfoFile)
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("runtime info: %w", err)
	}
	return nil
}

// ReadRuntimeInfo reads dir/RuntimeInfoFile. When the file does not exist the error matches
// fs.ErrNotExist, which callers treat as "zoneops is not running here".
func ReadRuntimeInfo(dir string) (RuntimeInfo, error) {
	path := filepath.Join(dir, RuntimeInfoFile)
	data, err := os.ReadFile(path)
	if err != nil {
		return RuntimeInfo{}, fmt.Errorf("runtime info: %w", err)
	}
	var info RuntimeInfo
	if err := json.Unmarshal(data, &info); err != nil {
		return RuntimeInfo{}, fmt.Errorf("runtime info %s: %w", path, err)
	}
	return info, nil
}
