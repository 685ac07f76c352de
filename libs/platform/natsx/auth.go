package natsx

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"

	"github.com/nats-io/nats.go"
)

// Auth is how a client proves who it is to NATS. At most one of user/password, Token,
// CredsFile and NKeySeedFile is set; the zero value connects without credentials.
type Auth struct {
	User     string
	Password string
	Token    string
	// CredsFile is a .creds file (a user JWT and its NKey seed) for decentralised JWT auth.
	CredsFile string
	// NKeySeedFile holds an NKey user seed (SU...) for NKey auth.
	NKeySeedFile string
	// CAFile, when set, is a PEM bundle the server's TLS certificate must chain to; it turns
	// TLS on.
	CAFile string
}

// Empty reports whether no credential is set (a CA alone authenticates nobody).
func (a Auth) Empty() bool {
	return a.User == "" && a.Password == "" && a.Token == "" && a.CredsFile == "" && a.NKeySeedFile == ""
}

// Validate refuses combinations nats.go would resolve silently in an order nobody expects.
func (a Auth) Validate() error {
	n := 0
	for _, set := range []bool{a.User != "" || a.Password != "", a.Token != "", a.CredsFile != "", a.NKeySeedFile != ""} {
		if set {
			n++
		}
	}
	switch {
	case n > 1:
		return errors.New("nats auth: set one of user/password, token, creds file or nkey seed file")
	case (a.User == "") != (a.Password == ""):
		return errors.New("nats auth: user and password go together")
	}
	return nil
}

// Options turns a into nats.go connect options.
func (a Auth) Options() ([]nats.Option, error) {
	if err := a.Validate(); err != nil {
		return nil, err
	}
	var opts []nats.Option
	switch {
	case a.User != "":
		opts = append(opts, nats.UserInfo(a.User, a.Password))
	case a.Token != "":
		opts = append(opts, nats.Token(a.Token))
	case a.CredsFile != "":
		opts = append(opts, nats.UserCredentials(a.CredsFile))
	case a.NKeySeedFile != "":
		o, err := nats.NkeyOptionFromSeed(a.NKeySeedFile)
		if err != nil {
			return nil, fmt.Errorf("nats auth: %w", err)
		}
		opts = append(opts, o)
	}
	if a.CAFile != "" {
		opts = append(opts, nats.RootCAs(a.CAFile))
	}
	return opts, nil
}

// Permissions are the subjects a user may publish and subscribe to (NATS wildcards allowed).
// Both lists are allow-lists: anything not in them is refused.
type Permissions struct {
	Publish   []string
	Subscribe []string
}

// Merge returns the union of p and others, each subject once, in first-seen order.
func (p Permissions) Merge(others ...Permissions) Permissions {
	out := Permissions{Publish: slices.Clone(p.Publish), Subscribe: slices.Clone(p.Subscribe)}
	for _, o := range others {
		out.Publish = appendNew(out.Publish, o.Publish...)
		out.Subscribe = appendNew(out.Subscribe, o.Subscribe...)
	}
	return out
}

func appendNew(dst []string, subjects ...string) []string {
	for _, s := range subjects {
		if !slices.Contains(dst, s) {
			dst = append(dst, s)
		}
	}
	return dst
}

// ClientBase is what every JetStream client needs: replies to its API requests and publish
// acks arrive on its inbox, and finding a stream by subject asks for stream names.
func ClientBase() Permissions {
	return Permissions{
		Publish:   []string{"$JS.API.INFO", "$JS.API.STREAM.NAMES"},
		Subscribe: []string{"_INBOX.>"},
	}
}

// Producer is what the producer into a stream needs once the stream exists: to inspect it and
// publish into its subjects. Only the owner gets these, so nobody else can publish the owner's
// events.
func Producer(stream string, subjects ...string) Permissions {
	return ClientBase().Merge(Permissions{Publish: append([]string{"$JS.API.STREAM.INFO." + stream}, subjects...)})
}

// StreamOwner is what declaring streams needs: to create them and update their configuration.
// Whoever may update a stream may also make it republish its messages into another stream's
// subjects (the server does that publish, whatever the client's permissions), so in
// production an operator declares the streams and the services get Producer alone.
func StreamOwner(streams ...string) Permissions {
	var p Permissions
	for _, s := range streams {
		p.Publish = append(p.Publish, "$JS.API.STREAM.CREATE."+s, "$JS.API.STREAM.UPDATE."+s, "$JS.API.STREAM.INFO."+s)
	}
	return ClientBase().Merge(p)
}

// Consumer is what a durable pull consumer of another party's stream needs: to declare and
// inspect its durable, pull messages and acknowledge them. It may not publish into the stream.
func Consumer(stream, durable string) Permissions {
	prefix := stream + "." + durable
	return ClientBase().Merge(Permissions{Publish: []string{
		"$JS.API.CONSUMER.CREATE." + prefix,
		"$JS.API.CONSUMER.CREATE." + prefix + ".>", // the form with one filter subject
		"$JS.API.CONSUMER.DURABLE.CREATE." + prefix,
		"$JS.API.CONSUMER.INFO." + prefix,
		"$JS.API.CONSUMER.MSG.NEXT." + prefix,
		"$JS.ACK." + prefix + ".>",
	}})
}

// User is an account on the embedded server. Nil Permissions allow everything: for an
// operator's tool, never for a service.
type User struct {
	Name        string
	Password    string
	Permissions *Permissions
}

// Auth is what a client presents to log in as u.
func (u User) Auth() Auth { return Auth{User: u.Name, Password: u.Password} }

// NewPassword returns a random password (128 bits, hex) for a user that lives as long as one
// start of the embedded server.
func NewPassword() (string, error) {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("nats password: %w", err)
	}
	return hex.EncodeToString(b), nil
}
