package auth

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/MicahParks/keyfunc/v3"
	"github.com/golang-jwt/jwt/v5"

	"github.com/zoneops/zoneops/libs/platform/fault"
)

// MinSecretLen is the shortest HS256 secret accepted: RFC 7518 asks for a key at least as long
// as the hash output (256 bits).
const MinSecretLen = 32

// Verifier turns a bearer token into the principal it was issued to. Every failure wraps
// fault.ErrUnauthenticated.
type Verifier interface {
	Verify(ctx context.Context, token string) (Principal, error)
}

// Option configures a verifier.
type Option func(*config)

type config struct {
	issuer          string
	audience        string
	now             func() time.Time
	leeway          time.Duration
	client          *http.Client
	refreshInterval time.Duration
	logger          *slog.Logger
}

// WithIssuer requires the token's iss claim to equal iss.
func WithIssuer(iss string) Option { return func(c *config) { c.issuer = iss } }

// WithAudience requires the token's aud claim to contain aud.
func WithAudience(aud string) Option { return func(c *config) { c.audience = aud } }

// WithClock sets the clock that exp, nbf and iat are checked against (tests use a fixed one).
func WithClock(now func() time.Time) Option { return func(c *config) { c.now = now } }

// WithLeeway tolerates clock skew between the issuer and this process.
func WithLeeway(d time.Duration) Option { return func(c *config) { c.leeway = d } }

// WithHTTPClient sets the client that fetches the JWKS (NewJWKS only).
func WithHTTPClient(client *http.Client) Option { return func(c *config) { c.client = client } }

// WithRefreshInterval sets how often the JWKS is fetched again (NewJWKS only; default 1h). Keys
// with an unknown kid also trigger a fetch, at most once every five minutes.
func WithRefreshInterval(d time.Duration) Option { return func(c *config) { c.refreshInterval = d } }

// WithLogger sets the logger for failed background JWKS refreshes (NewJWKS only; default: discard).
func WithLogger(l *slog.Logger) Option { return func(c *config) { c.logger = l } }

func newConfig(opts []Option) config {
	c := config{
		now:             time.Now,
		refreshInterval: time.Hour,
		logger:          slog.New(slog.DiscardHandler),
	}
	for _, o := range opts {
		o(&c)
	}
	return c
}

func (c config) parser(methods ...string) *jwt.Parser {
	popts := []jwt.ParserOption{
		// Only the algorithms this verifier's keys are for: this is what defeats "alg":"none"
		// and HS256 tokens signed with an RSA public key as the secret.
		jwt.WithValidMethods(methods),
		jwt.WithExpirationRequired(),
		jwt.WithTimeFunc(c.now),
		jwt.WithLeeway(c.leeway),
	}
	if c.issuer != "" {
		popts = append(popts, jwt.WithIssuer(c.issuer))
	}
	if c.audience != "" {
		popts = append(popts, jwt.WithAudience(c.audience))
	}
	return jwt.NewParser(popts...)
}

// claims is the token body: the registered claims plus zoneops' own.
type claims struct {
	jwt.RegisteredClaims
	Role     Role     `json:"role"`
	TenantID string   `json:"tenant_id,omitempty"`
	ZoneIDs  []string `json:"zone_ids,omitempty"`
}

// jwtVerifier verifies with a key function; HS256 and JWKS differ only in that and the methods.
type jwtVerifier struct {
	parser  *jwt.Parser
	keyFunc func(ctx context.Context) jwt.Keyfunc
}

var errMissingToken = fmt.Errorf("%w: missing bearer token", fault.ErrUnauthenticated)

// Verify implements Verifier.
func (v *jwtVerifier) Verify(ctx context.Context, token string) (Principal, error) {
	if token == "" {
		return Principal{}, errMissingToken
	}
	var c claims
	if _, err := v.parser.ParseWithClaims(token, &c, v.keyFunc(ctx)); err != nil {
		return Principal{}, fmt.Errorf("%w: %w", fault.ErrUnauthenticated, err)
	}
	p := Principal{Subject: c.Subject, Role: c.Role, TenantID: c.TenantID, ZoneIDs: c.ZoneIDs}
	if err := p.Validate(); err != nil {
		return Principal{}, err
	}
	return p, nil
}

// NewHS256 returns a verifier for HS256 tokens signed with secret, for development and tests.
// The secret must be at least MinSecretLen bytes.
func NewHS256(secret []byte, opts ...Option) (Verifier, error) {
	if len(secret) < MinSecretLen {
		return nil, fmt.Errorf("auth: HS256 secret is %d bytes, need at least %d", len(secret), MinSecretLen)
	}
	key := append([]byte(nil), secret...)
	c := newConfig(opts)
	return &jwtVerifier{
		parser: c.parser(jwt.SigningMethodHS256.Alg()),
		keyFunc: func(context.Context) jwt.Keyfunc {
			return func(*jwt.Token) (any, error) { return key, nil }
		},
	}, nil
}

// NewJWKS returns a verifier for RS256 and ES256 tokens whose keys are published at url (an OIDC
// issuer's jwks_uri). The key set is fetched once before NewJWKS returns, so that a wrong URL
// fails at start-up rather than on the first request, and then refreshed in the background until
// ctx is cancelled. A token with a kid not yet seen triggers an early refresh, at most once every
// five minutes; other such tokens fail at once rather than queue for the next slot, which would
// let forged tokens stall requests.
func NewJWKS(ctx context.Context, url string, opts ...Option) (Verifier, error) {
	c := newConfig(opts)
	failFirst := false
	logger := c.logger
	kf, err := keyfunc.NewDefaultOverrideCtx(ctx, []string{url}, keyfunc.Override{
		Client:                    c.client,
		HTTPTimeout:               10 * time.Second,
		NoErrorReturnFirstHTTPReq: &failFirst,
		// Bounds both the wait for the unknown-kid limiter and the fetch that follows. The
		// limiter refuses at once when its next slot is further away than this, so forged kids
		// fail fast instead of queueing for minutes.
		RateLimitWaitMax: 5 * time.Second,
		RefreshInterval:  c.refreshInterval,
		RefreshErrorHandlerFunc: func(u string) func(context.Context, error) {
			return func(ctx context.Context, err error) {
				logger.WarnContext(ctx, "refreshing JWKS failed", "url", u, "error", err)
			}
		},
	})
	if err != nil {
		return nil, fmt.Errorf("auth: loading JWKS from %s: %w", url, err)
	}
	return &jwtVerifier{
		parser:  c.parser(jwt.SigningMethodRS256.Alg(), jwt.SigningMethodES256.Alg()),
		keyFunc: kf.KeyfuncCtx,
	}, nil
}

// Mint returns an HS256 token for p that expires ttl after now. zonectl uses it to make
// development tokens; production tokens come from the OIDC issuer.
func Mint(secret []byte, p Principal, ttl time.Duration, now time.Time) (string, error) {
	if len(secret) < MinSecretLen {
		return "", fmt.Errorf("auth: HS256 secret is %d bytes, need at least %d", len(secret), MinSecretLen)
	}
	if ttl <= 0 {
		return "", errors.New("auth: token lifetime must be positive")
	}
	if err := p.Validate(); err != nil {
		return "", fmt.Errorf("auth: minting: %w", err)
	}
	c := claims{
		RegisteredClaims: jwt.RegisteredClaims{
			Subject:   p.Subject,
			IssuedAt:  jwt.NewNumericDate(now),
			ExpiresAt: jwt.NewNumericDate(now.Add(ttl)),
		},
		Role:     p.Role,
		TenantID: p.TenantID,
		ZoneIDs:  p.ZoneIDs,
	}
	return jwt.NewWithClaims(jwt.SigningMethodHS256, c).SignedString(secret)
}
