// Package trainworker trains a VAE in another program — a Web Worker in the
// browser — and speaks with the page through messages.
//
// The page (package playground) keeps a drawing copy of the model and sends
// commands; the worker (the js/wasm program in /worker) holds the trainer,
// trains in slices, and answers with step results and parameter snapshots.
// Both ends use this package: [Encode] and [Decode] are the message
// protocol, [Server] is the worker's side and [Serve] its loop. Nothing here
// touches syscall/js, so the protocol and the server are tested natively
// and under Node.
//
// The protocol is binary, little-endian, one message per ArrayBuffer (so a
// snapshot travels as a transferable buffer, not a copy per float):
//
//	magic "VAEw" | version u16 | kind u8 | gen u32 | seq u32 | body
//
// gen names the trainer a message is about: the page raises it with every
// [KindBuild], and each end drops messages of an older one. seq numbers the
// page's commands; every reply carries the last one handled, so the page
// can tell a worker that stopped answering. A decoder checks the magic, the
// version, every length against a bound and every value's range before it
// returns anything, and refuses trailing bytes: a message from the other
// end is as untrusted as a file.
//
// A worker is built from a trainer checkpoint (core's Trainer.Save: config,
// parameters, optimiser and random state, hyperparameters, batch size) and
// the data rows, so a trainer handed over from the page mid-run takes the
// very steps it would have taken there. [KindSave] asks for the same
// checkpoint back ([KindTrainer]), so that the page can keep the whole
// training state (autosave, or falling back to training inline) and resume
// it exactly.
package trainworker
