// Package store keeps handed-off conversations and their messages durably,
// in SQLite (embedded, the default) or PostgreSQL.
//
// Both databases run the same SQL through database/sql: SQLite through the
// pure-Go driver modernc.org/sqlite, PostgreSQL through pgx. Every write is
// one transaction, and a method that writes returns only after its
// transaction committed, so whatever a caller acknowledges is on disk.
package store

import (
	"context"
	"errors"
	"time"

	"github.com/lotse-chat/lotse/handoff"
)

// State is where a conversation stands.
type State string

// Conversation states. A conversation moves bot -> pending (handed off) ->
// open (an agent took it) -> resolved; a visitor writing into a resolved
// conversation makes it pending again, and an agent reopening it (Reopen)
// makes it open and theirs. Once a conversation has left bot, the
// bot never answers in it again.
const (
	StateBot      State = "bot"
	StatePending  State = "pending"
	StateOpen     State = "open"
	StateResolved State = "resolved"
)

// Valid reports whether s is one of the four states.
func (s State) Valid() bool {
	switch s {
	case StateBot, StatePending, StateOpen, StateResolved:
		return true
	}
	return false
}

// Conversation is one conversation's header.
type Conversation struct {
	ID       string `json:"id"`
	Bot      string `json:"bot"`
	State    State  `json:"state"`
	Reason   string `json:"reason"`
	Intent   string `json:"intent"`
	Lang     string `json:"lang"`
	Assignee string `json:"assignee"`
	// Created, Updated and PendingSince are Unix milliseconds. PendingSince
	// is when the conversation was last handed off, for the queue's waiting
	// time.
	Created      int64 `json:"created"`
	Updated      int64 `json:"updated"`
	PendingSince int64 `json:"pending_since"`
	// LastSeq is the sequence number of the newest message.
	LastSeq int64 `json:"last_seq"`
}

// Message is a stored message: a handoff.Message with its place in the
// conversation. Seq counts from 1 within each conversation without gaps.
type Message struct {
	Seq  int64  `json:"seq"`
	ID   string `json:"id"`
	Role string `json:"role"`
	Text string `json:"text"`
	TS   int64  `json:"ts"`
}

// Errors returned by the store.
var (
	ErrNotFound  = errors.New("store: no such conversation")
	ErrResolved  = errors.New("store: conversation is resolved")
	ErrNoSession = errors.New("store: no such session")
)

// AssignedError is Assign's error when the conversation is another
// agent's and the caller did not force the takeover.
type AssignedError struct {
	// Assignee is the agent the conversation stays with.
	Assignee string
}

// Error says whose the conversation is.
func (e *AssignedError) Error() string {
	return "store: conversation is assigned to " + e.Assignee
}

// Store is what the backend needs from a database. Methods are safe for
// concurrent use. Writes are durable when they return nil.
type Store interface {
	// Accept stores a handoff: it creates the conversation if new, moves it
	// to pending if it was with the bot or resolved, and appends the
	// messages whose IDs the conversation does not hold yet, in order.
	// Retrying a handoff stores nothing twice and changes nothing, not even
	// the conversation's Updated time.
	Accept(ctx context.Context, h handoff.Handoff, now time.Time) (handoff.Ack, error)
	// Post appends one message written by agent (an agent's reply) to a
	// conversation that is not resolved, assigns the conversation to agent if
	// it has no assignee and opens it if pending. A message ID already stored
	// is not stored again; seq is then that message's number. It returns
	// ErrNotFound or ErrResolved.
	Post(ctx context.Context, id, agent string, m handoff.Message, now time.Time) (c Conversation, seq int64, err error)
	// Assign gives a conversation that is not resolved to agent and opens
	// it. A conversation assigned to another agent is taken over only if
	// force is set; else Assign returns an *AssignedError. It returns
	// ErrNotFound or ErrResolved.
	Assign(ctx context.Context, id, agent string, force bool, now time.Time) (Conversation, error)
	// Resolve closes a conversation. Resolving a resolved conversation
	// changes nothing, not even its Updated time.
	Resolve(ctx context.Context, id string, now time.Time) (Conversation, error)
	// Reopen moves a resolved conversation back to open, assigned to
	// agent: an agent follows up on it. It returns ErrNotFound, or a
	// *StateError naming the state of a conversation that is not resolved.
	Reopen(ctx context.Context, id, agent string, now time.Time) (Conversation, error)
	// Conversation returns one conversation's header, or ErrNotFound.
	Conversation(ctx context.Context, id string) (Conversation, error)
	// Messages returns up to limit messages with seq > after, in order.
	Messages(ctx context.Context, id string, after int64, limit int) ([]Message, error)
	// Count returns how many conversations in state come after the
	// cursor in List's order: with the zero Cursor, all of them.
	Count(ctx context.Context, state State, after Cursor) (int, error)
	// List returns up to limit conversations in state that come after the
	// cursor, in the queue's order: longest waiting first (PendingSince,
	// then ID), or for StateResolved most recently changed first (Updated,
	// then ID, both descending). The zero Cursor starts at the beginning;
	// CursorAfter of a page's last conversation continues after it.
	List(ctx context.Context, state State, after Cursor, limit int) ([]Conversation, error)
	// LastVisitorTexts returns, for each of the conversations ids that has
	// a visitor message, the text of its newest one: the queue's previews,
	// in one query however long the queue.
	LastVisitorTexts(ctx context.Context, ids []string) (map[string]string, error)
	// Questions returns the text of up to limit visitor messages that caused
	// a handoff for reason, newest first.
	Questions(ctx context.Context, reason string, limit int) ([]string, error)
	// CreateSession stores a console session under key (a hash of its
	// token) until expires and deletes the sessions expired at now.
	CreateSession(ctx context.Context, key, agent string, expires, now time.Time) error
	// SessionAgent returns the agent of session key if it has not expired
	// at now, else ErrNoSession.
	SessionAgent(ctx context.Context, key string, now time.Time) (string, error)
	// DeleteSession ends session key; an unknown key is not an error.
	DeleteSession(ctx context.Context, key string) error
	// PurgeResolved deletes the resolved conversations last changed before
	// before, with their messages, at most batch conversations a
	// transaction, so that no lock is held for long. Conversations in any
	// other state are kept however old. It returns how many conversations
	// and messages it deleted, also when it fails part way (the batches
	// before the failure stay deleted).
	PurgeResolved(ctx context.Context, before time.Time, batch int) (conversations, messages int, err error)
	// CountOld counts what PurgeResolved would delete with before, and the
	// conversations older than before it would keep.
	CountOld(ctx context.Context, before time.Time) (OldCount, error)
	// SchemaFound returns the schema version the database had when it was
	// opened, before migrating it: 0 for a new database, SchemaVersion
	// when it needed no migration.
	SchemaFound() int
	// Ping checks that the database answers, for health checks.
	Ping(ctx context.Context) error
	// Close releases the database.
	Close() error
}

// StateError is Reopen's error when the conversation is not resolved.
type StateError struct {
	// State is the conversation's state.
	State State
}

// Error says what state the conversation is in.
func (e *StateError) Error() string {
	return "store: conversation is " + string(e.State) + ", not resolved"
}

// OldCount is what CountOld found.
type OldCount struct {
	// Conversations and Messages are the resolved conversations last
	// changed before the cutoff and their messages: what PurgeResolved
	// deletes.
	Conversations, Messages int
	// Kept is the conversations last changed before the cutoff that are
	// not resolved (with the bot, pending or open): PurgeResolved keeps them.
	Kept int
}

// Cursor is a place in a List: the sort key and ID of the conversation a
// page ended with. Paging by it (keyset paging) neither skips nor repeats
// conversations when others arrive or leave between pages, as an offset
// would: a new handoff sorts after every waiting conversation, a newly
// resolved one before every resolved one, and either way the conversations
// after the cursor stay after it. The zero Cursor is the start of a list.
type Cursor struct {
	// Key is PendingSince, or Updated in the list of resolved
	// conversations.
	Key int64
	// ID breaks ties between conversations with the same Key.
	ID string
}

// CursorAfter returns the Cursor just after c in the List of state.
func CursorAfter(state State, c Conversation) Cursor {
	if state == StateResolved {
		return Cursor{Key: c.Updated, ID: c.ID}
	}
	return Cursor{Key: c.PendingSince, ID: c.ID}
}

// millis returns t in Unix milliseconds, the unit of every stored time.
func millis(t time.Time) int64 { return t.UnixMilli() }
