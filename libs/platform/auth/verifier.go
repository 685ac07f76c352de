package auth

import (
	"bytes"
	"context"
	"encoding/json"
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

// DefaultMaxLifetime is the longest a token may be valid for unless WithMaxLifetime says
// otherwise: a day, as zonectl mints by default. A leaked token is then useless by tomorrow,
// however long its issuer meant it to last.
const DefaultMaxLifetime = 24 * time.Hour

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
	maxLifetime     time.Duration
}

// WithIssuer requires the token's iss claim to equal iss.
func WithIssuer(iss string) Option { return func(c *config) { c.issuer = iss } }

// WithAudience requires the token's aud claim to contain aud.
func WithAudience(aud string) Option { return func(c *config) { c.audience = aud } }

// WithClock sets the clock that exp, nbf and iat are checked against (tests use a fixed one).
func WithClock(now func() time.Time) Option { return func(c *config) { c.now = now } }

// WithLeeway tolerates clock skew between the issuer and this process.
func WithLeeway(d time.Duration) Option { return func(c *config) { c.leeway = d } }

// WithMaxLifetime refuses tokens valid for longer than d: exp - iat, and exp - now (so that a
// token without iat, or with an iat in the past, is bounded too). Default DefaultMaxLifetime; it
// applies to HS256 and JWKS tokens alike.
func WithMaxLifetime(d time.Duration) Option { return func(c *config) { c.maxLifetime = d } }

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
		maxLifetime:     DefaultMaxLifetime,
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
		// An iat in the future would let exp - iat look short on a token valid for years.
		jwt.WithIssuedAt(),
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
	ZoneIDs  []string `json:"zone_ids,omitempty"` // Principal.ZoneCodes: the claim keeps its name for issued tokens
}

// timeClaims are the claims that must be NumericDates (RFC 7519 section 2): JSON numbers.
// golang-jwt reads them through json.Number, which also takes a string holding digits.
var timeClaims = []string{"exp", "iat", "nbf"}

var errClaimType = errors.New("claim must be a JSON number (NumericDate)")

// UnmarshalJSON reads the token body strictly: exp, iat and nbf must be JSON numbers.
func (c *claims) UnmarshalJSON(b []byte) error {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	for _, name := range timeClaims {
		v, ok := raw[name]
		if !ok {
			continue
		}
		if v = bytes.TrimSpace(v); len(v) == 0 || (v[0] != '-' && (v[0] < '0' || v[0] > '9')) {
			return fmt.Errorf("%s: %w", name, errClaimType)
		}
	}
	type plain claims // without this method, so that decoding does not recurse
	return json.Unmarshal(b, (*plain)(c))
}

// jwtVerifier verifies with a key function; HS256 and JWKS differ only in that and the methods.
type jwtVerifier struct {
	parser      *jwt.Parser
	keyFunc     func(ctx context.Context) jwt.Keyfunc
	now         func() time.Time
	leeway      time.Duration
	maxLifetime time.Duration
}

func (c config) verifier(keyFunc func(context.Context) jwt.Keyfunc, methods ...string) *jwtVerifier {
	return &jwtVerifier{parser: c.parser(methods...), keyFunc: keyFunc, now: c.now, leeway: c.leeway, maxLifetime: c.maxLifetime}
}

var errTooLong = errors.New("token lifetime exceeds the maximum")

// checkLifetime refuses a token valid for longer than the maximum. The parser has already
// required exp and checked that iat is not in the future.
func (v *jwtVerifier) checkLifetime(c claims) error {
	exp := c.ExpiresAt.Time
	if c.IssuedAt != nil {
		if d := exp.Sub(c.IssuedAt.Time); d > v.maxLifetime {
			return fmt.Errorf("%w: issued for %s, maximum %s", errTooLong, d, v.maxLifetime)
		}
	}
	if d := exp.Sub(v.now()); d > v.maxLifetime+v.leeway {
		return fmt.Errorf("%w: valid for another %s, maximum %s", errTooLong, d.Round(time.Second), v.maxLifetime)
	}
	return nil
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
	if err := v.checkLifetime(c); err != nil {
		return Principal{}, fmt.Errorf("%w: %w", fault.ErrUnauthenticated, err)
	}
	p := Principal{Subject: c.Subject, Role: c.Role, TenantID: c.TenantID, ZoneCodes: c.ZoneIDs}
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
	if c.maxLifetime <= 0 {
		return nil, errors.New("auth: maximum token lifetime must be positive")
	}
	return c.verifier(func(context.Context) jwt.Keyfunc {
		return func(*jwt.Token) (any, error) { return key, nil }
	}, jwt.SigningMethodHS256.Alg()), nil
}

// NewJWKS returns a verifier for RS256 and ES256 tokens whose keys are published at url (an OIDC
// issuer's jwks_uri). The key set is fetched once before NewJWKS returns, so that a wrong URL
// fails at start-up rather than on the first request, and then refreshed in the background until
// ctx is cancelled. A token with a kid not yet seen triggers an early refresh, at most once every
// five minutes; other such tokens fail at once rather than queue for the next slot, which would
// let forged tokens stall requests.
func NewJWKS(ctx context.Context, url string, opts ...Option) (Verifier, error) {
	c := newConfig(opts)
	if c.maxLifetime <= 0 {
		return nil, errors.New("auth: maximum token lifetime must be positive")
	}
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
	return c.verifier(kf.KeyfuncCtx, jwt.SigningMethodRS256.Alg(), jwt.SigningMethodES256.Alg()), nil
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
		ZoneIDs:  p.ZoneCodes,
	}
	return jwt.NewWithClaims(jwt.SigningMethodHS256, c).SignedString(secret)
}
