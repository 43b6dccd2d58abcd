package app

import "time"

// autosaveTick hands a due saved state to the platform's store. Called with
// the lock held, after Update has brought g.hash up to date.
func (g *Game) autosaveTick(now time.Time) {
	if g.opt.Autosave == nil {
		return
	}
	if b, ok := g.autosave.Tick(g.S, g.hash, now); ok {
		g.opt.Autosave(b)
	}
}

// SaveNow saves at once (the page is being hidden: its frames stop). A
// trainer in a worker answers a little later: the platform calls
// PollSave until it returns false.
func (g *Game) SaveNow() bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.autosave.Force()
	return g.pollSaveLocked()
}

// PollSave takes a save asked for by SaveNow; it reports whether one is
// still on its way.
func (g *Game) PollSave() bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.pollSaveLocked()
}

func (g *Game) pollSaveLocked() bool {
	g.autosaveTick(time.Now())
	return g.autosave.Pending()
}
