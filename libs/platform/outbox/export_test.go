package outbox

// OnWait makes r call f(pending) each time it is about to wait for a Notify or the poll, with
// pending the number of wake-ups already waiting for it (0 or 1). Call it before Run.
func OnWait(r *Relay, f func(pending int)) {
	r.beforeWait = func() { f(len(r.wake)) }
}
