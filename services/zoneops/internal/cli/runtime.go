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

// WriteRuntimeInfo writes info to dir/RuntimeInfoFile, creating dir if needed. The file holds
// no secret and other local users' zonectl may read it (0644).
func WriteRuntimeInfo(dir string, info RuntimeInfo) error {
	return writeAtomic(dir, RuntimeInfoFile, info, 0o644)
}

// writeAtomic writes v as JSON to dir/name with mode perm, creating dir if needed. It writes a
// temporary file (CreateTemp makes it 0600, so a secret is never readable by others even for
// a moment) and renames it, so a zonectl reading at the same moment sees the old file or the
// new one, never half of one.
func writeAtomic(dir, name string, v any, perm os.FileMode) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	data, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	tmp, err := os.CreateTemp(dir, name+".*")
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	defer os.Remove(tmp.Name()) // a no-op once the rename succeeded
	if _, err := tmp.Write(append(data, '\n')); err != nil {
		tmp.Close()
		return fmt.Errorf("%s: write %s: %w", name, tmp.Name(), err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("%s: write %s: %w", name, tmp.Name(), err)
	}
	if err := os.Chmod(tmp.Name(), perm); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	if err := os.Rename(tmp.Name(), filepath.Join(dir, name)); err != nil {
		return fmt.Errorf("%s: %w", name, err)
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

// NATSUser is zonectl's user on the embedded NATS server of `zoneops run`: an operator's,
// allowed every subject, since `dlq replay` republishes other services' events.
const NATSUser = "zonectl"

// NATSCredentialsFile is the name of the file, inside the data directory, that holds
// NATSUser's password for the current start of the embedded server. It is 0600: unlike
// RuntimeInfoFile it is a credential.
const NATSCredentialsFile = "zonectl-nats.json"

// NATSCredentials is the content of NATSCredentialsFile.
type NATSCredentials struct {
	User     string `json:"user"`
	Password string `json:"password"`
}

// WriteNATSCredentials writes c to dir/NATSCredentialsFile, readable by its owner only, and
// replaces the file atomically like WriteRuntimeInfo.
func WriteNATSCredentials(dir string, c NATSCredentials) error {
	return writeAtomic(dir, NATSCredentialsFile, c, 0o600)
}

// ReadNATSCredentials reads dir/NATSCredentialsFile; a missing file matches fs.ErrNotExist.
func ReadNATSCredentials(dir string) (NATSCredentials, error) {
	var c NATSCredentials
	path := filepath.Join(dir, NATSCredentialsFile)
	data, err := os.ReadFile(path)
	if err != nil {
		return c, fmt.Errorf("nats credentials: %w", err)
	}
	if err := json.Unmarshal(data, &c); err != nil {
		return c, fmt.Errorf("nats credentials %s: %w", path, err)
	}
	return c, nil
}
