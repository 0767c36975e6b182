package langid

// Word tables, folded the way Score folds text: lowercase, ä ö ü → a o u,
// ß → ss. German spellings with ae/oe/ue are listed too. The weights are
// small integers: 3 for words that are frequent and unambiguous, 2 for
// frequent words that occur in the other language now and then (names,
// loanwords) or are typical of support chats, 0 for words both languages use
// ("in", "was", "will", "hat") so that their letters are not scored either.

const (
	deStrong = `ich du er sie die hat bin war wir ihr mein meine meinen meiner meinem meines dein deine deinen ihre ihren ihrem
unser unsere unseren euer eure ist sind bin bist hab habe haben hast hatte hatten wurde wurden werden wird
kann kannst konnen koennen konnte koennte konnte mochte moechte mochten will willst wollen wollte muss musst
mussen muessen soll sollte darf durfen nicht nichts kein keine keinen keiner nein ja doch und oder aber mit
von fur fuer auf aus bei nach zu zum zur vom beim im dem den des der das ein eine einen einem einer wie wo
wann warum wieso weshalb welche welcher welches wer wen wem hallo hallochen danke dank bitte bitteschon
guten gute tag morgen abend tschuss tschau servus moin moinsen gruss grusse gott noch schon auch nur
mehr sehr gut mir mich uns euch ihnen dass wenn weil ob uber ueber unter gibt gibts geht gehts machen mache
macht gemacht bekomme bekommen brauche brauchen geld konto karte kreditkarte uberweisung ueberweisung
zahlung zahlen zahle bezahlen rechnung passwort vergessen geandert andern aendern kundigen kuendigen
gekundigt loschen loeschen sperren gesperrt verloren gestohlen hilfe jemand etwas mal gerne gern vielen
herzlichen lieben liebe leider okay klar genau stimmt falsch richtig zuruck zurueck erstattung betrag
abgebucht abbuchung gebuhr gebuehr gebuhren kosten kostet wieviel viel wenig heute gestern jetzt sofort
immer nie wieder ohne gegen zwischen seit bis durch dann denn also schon eigentlich vielleicht hier dort da
sich sein seine seinen man kommt kommen sagen sag ganz neue neuen alte alten adresse anschrift name
nummer telefon handy app anmelden einloggen login geht's funktioniert klappt fehler problem frage fragen
mitarbeiter mensch berater sprechen reden anrufen erreichen kontakt dauert lange warten woche wochen monat
tage stunden ausland zinsen kredit darlehen sparen depot aktien bargeld abheben automat pin tan limit
erhohen erhoehen ablauf fallig faellig falligkeit kontostand saldo umsatz umsatze auszug kontoauszug
vertrag kundigung einzahlen ueberweisen uberweisen lastschrift dauerauftrag empfanger iban bic`

	enStrong = `i i'm i've i'd i'll you you're your yours he she it it's we we're they they're my me mine our us
their them is are am was were be been being have has had having do does did don't doesn't didn't can can't
cannot could couldn't would wouldn't should shouldn't won't not no yes yeah yep nope and or but with from for
on of to the a an this that these those what what's where where's when why how how's who which whose hello
hi hey hiya thanks thank thx ty please pls plz good morning evening afternoon bye goodbye cheers there here
get got getting need needs want wanted like just still already also only more very much many any some
anyone someone something anything about into out up down over after before because if then than
account card credit debit money payment payments pay paid refund refunds transfer transfers password change
changed lost stolen help human agent person talk speak call phone number address email update my fee fees
charge charged charges twice wrong balance statement loan interest rate limit increase due date bill
cancel close open new old login log sign forgot reset locked blocked block freeze unfreeze working work
doesn't isn't aren't wasn't haven't hasn't let please problem issue question today yesterday now soon
long wait waiting week weeks month days hours abroad cash withdraw withdrawal atm pin receive received
send sent pending declined app okay ok sure right great awesome thank's you'll we'll they'll there's
that's let's which while ago am pm`

	// both are words common to both languages, or too short to trust. A word
	// listed for German and English also ends up with weight 0.
	both = `in an so was will man also rest bank hand name park land winter sport team
online service check status code ok o k e t s x`
)

// words maps a folded word to its weight: positive for German, negative for
// English, 0 for words both use.
var words = buildWords()

func buildWords() map[string]int8 {
	m := make(map[string]int8, 700)
	add := func(list string, w int8) {
		start := -1
		for i := 0; i <= len(list); i++ {
			if i == len(list) || list[i] == ' ' || list[i] == '\n' {
				if start >= 0 {
					word := list[start:i]
					if old, ok := m[word]; ok && old != w {
						w := int8(0) // listed for both languages
						m[word] = w
					} else {
						m[word] = w
					}
				}
				start = -1
			} else if start < 0 {
				start = i
			}
		}
	}
	add(deStrong, 3)
	add(enStrong, -3)
	add(both, 0)
	return m
}
