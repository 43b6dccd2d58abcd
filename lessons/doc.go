// Package lessons holds the playground's lessons: steps that each apply a
// configuration through the settings table, show some views and controls,
// ask the learner to do something and watch the running session for what
// should happen, saying so with the model's own numbers. A Runner opens
// steps on a session.Session and asks the checks; the playground's lesson
// column shows it. The texts are messages in English and Vietnamese (T).
package lessons
