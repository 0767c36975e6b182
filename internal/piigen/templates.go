package main

// Hand-written templates. Placeholders in braces are filled by main.go;
// everything else is typed as visitors type: lower case, missing umlauts,
// typos, German and English mixed.

var ibanTemplates = []string{
	"Hallo, bitte buchen sie den betrag von meinem konto ab: {iban}",
	"meine iban ist {iban} kontoinhaber ist meine frau",
	"IBAN: {iban}",
	"Ich habe die Lastschrift widerrufen, neue Bankverbindung {iban}, bitte ändern",
	"hi can you refund to {iban} pls",
	"Bankverbindung geändert!! neu: {iban} (alte bitte loeschen)",
	"the money should go to my account {iban}, thanks",
	"ueberweisung kam nicht an?? hab an {iban} gezahlt",
	"Erstattung bitte auf {iban}",
	"kannst du die iban {iban} für die rückzahlung nehmen",
	"Please update my SEPA mandate, IBAN {iban} BIC COBADEFFXXX",
	"{iban} das ist mein konto",
}

var cardTemplates = []string{
	"meine kreditkarte {card} wurde doppelt belastet",
	"Card number {card} exp 09/27",
	"hab mit visa bezahlt {card} aber keine bestätigung bekommen",
	"Die Karte {card} ist gesperrt, warum?",
	"payment failed with card {card}, what now",
	"kartennummer: {card}",
	"bitte storniert die zahlung von karte {card} danke",
	"I used {card} for order 4471 and got charged twice",
	"{card} gültig bis 11/26 cvv brauchst du auch?",
	"Mastercard {card} abgelehnt obwohl genug geld drauf ist",
	"kreditkarte endet nicht auf 1234 sondern ist {card}",
	"can u check card {card} pls",
}

var emailTemplates = []string{
	"meine email ist {email}",
	"Bitte schicken Sie die Rechnung an {email}",
	"you can reach me at {email}",
	"mail an {email} kam nie an",
	"hab mich mit {email} registriert aber passwort vergessen",
	"Neue E-Mail-Adresse: {email}. Bitte ändern.",
	"contact: {email} or via chat",
	"ich bin unter {email} erreichbar",
	"please send the invoice to {email} thx",
	"Login geht nicht ({email})",
	"confirmation email to {email} never arrived",
	"meine mail ist {semail}",
	"write to {semail} please",
}

var phoneTemplates = []string{
	"ruft mich bitte zurück: {phone}",
	"meine handynummer ist {phone}",
	"Sie erreichen mich unter {phone} ab 17 uhr",
	"call me on {phone}",
	"Tel. {phone}",
	"bitte rückruf unter {phone}, danke",
	"meine neue nummer {phone}",
	"my phone number is {phone}",
	"Festnetz {phone}, mobil geht grad nicht",
	"kurier soll mich anrufen {phone}",
	"whatsapp {phone}",
	"der paketbote hat die falsche nummer, richtig ist {phone}",
}

var dobTemplates = []string{
	"ich bin geboren am {dob}",
	"Geburtsdatum: {dob}",
	"geb. {dob} falls sie das zur verifizierung brauchen",
	"my date of birth is {dob}",
	"DOB {dob}",
	"I was born on {dob}",
	"mein geburtsdatum ist der {dob}",
	"Kundenkonto auf mich, geboren {dob}, Name wie auf der Karte",
	"born {dob} if that helps",
	"fuer die altersverifikation: geburtsdatum {dob}",
	"date of birth: {dob}, account is in my name",
	"ich bin am {dob} geboren",
}

var taxTemplates = []string{
	"meine steuer-id ist {tax}",
	"Steuer-ID: {tax}",
	"steuerid {tax} für die spendenquittung",
	"Identifikationsnummer {tax}",
	"my german tax id is {tax}",
	"brauchen sie die steueridentifikationsnummer? {tax}",
	"Tax ID {tax}",
	"hier meine IdNr {tax}",
	"die steuer id lautet {tax}",
	"Für die Lohnabrechnung: Steuer-IdNr. {tax}",
	"{tax} ist meine steuer id",
}

var addrTemplates = []string{
	"bitte liefern an {addr}",
	"Meine neue Adresse: {addr}",
	"ich wohne jetzt in der {addr}",
	"please ship to {addr}",
	"lieferadresse ist {addr}, bitte beim nachbarn abgeben",
	"Rechnungsadresse ändern auf {addr}",
	"my address is {addr}",
	"paket ging an {addr} statt an meine neue adresse",
	"shipping address: {addr}",
	"wir sind umgezogen, neu: {addr}",
	"kann man das paket an {addr} umleiten?",
	"Adresse {addr} stimmt so",
}

var nameTemplates = []string{
	"Hallo, mein Name ist {name} und ich habe eine Frage zur Rechnung",
	"hi my name is {name}, my parcel is late",
	"ich heiße {name}, bestellung ist nicht angekommen",
	"ich heisse {name} und brauche hilfe",
	"Wo bleibt meine Lieferung?\n\nViele Grüße\n{name}",
	"Bitte um Rückruf. Mit freundlichen Grüßen, {name}",
	"the refund has not arrived. Regards, {name}",
	"danke für die schnelle hilfe! LG {name}",
	"Can you cancel it please? Kind regards, {name}",
	"I am called {name} and I ordered twice by mistake",
	"Gruß, {name}",
	"Name: {name}, Kundenkonto gesperrt",
}

// idTemplates name a passport, ID card or driving licence and its number.
var idTemplates = []string{
	"meine Ausweisnummer ist {idno}",
	"Reisepass Nr. {idno}, gültig bis 2031",
	"passport number: {idno}",
	"Personalausweis {idno} für die Identifizierung",
	"my passport no is {idno}",
	"perso nummer {idno}",
	"ID card number {idno}",
	"Führerschein: {idno}",
	"die Passnummer lautet {idno}",
	"for the KYC check, passport {idno}",
	"Ausweis-Nr. {idno} bitte hinterlegen",
}

// mixedTemplates carry more than one kind of personal data.
var mixedTemplates = []string{
	"Mein Name ist {name}, meine IBAN ist {iban}",
	"please call {phone} or mail {email}",
	"Neue Adresse {addr}, Tel {phone}",
	"geboren am {dob}, steuer-id {tax}",
	"card {card} and email {email}",
	"ich heisse {name}, wohne {addr}",
	"Bitte Erstattung auf {iban}. Grüße, {name}",
	"Kontakt: {email}, {phone}",
}

// lookalikeTemplates contain numbers and dates that are not personal data.
var lookalikeTemplates = []string{
	"Rechnung {order} über {amount} ist falsch",
	"wo ist meine bestellung {order}?",
	"Sendungsnummer {tracking} zeigt seit 3 tagen nichts an",
	"tracking {tracking} not updating",
	"hab am {date} bestellt und noch nix bekommen",
	"ordered on {date}, still waiting",
	"liefert ihr auch nach {plz}?",
	"do you ship to {plz} germany",
	"ich moechte {num} stück bestellen",
	"why was I charged {amount} instead of {amount}",
	"Kundennummer {custno}, Passwort vergessen",
	"meine kundennr ist {custno}",
	"Artikel {num} ist nicht mehr verfügbar",
	"Gutschein {order} funktioniert nicht",
	"invoice {order} shows {amount}",
	"rückgabe vom {date} wurde noch nicht erstattet",
	"paket {tracking} liegt in der filiale in {plz}",
	"ab {time} uhr erreichbar?",
	"the delivery on {date} at {time} was missed",
	"Ticket {order} bitte schliessen",
	"Vertragsnummer {badtax} kündigen zum {date}",
	"order number {badcard} doesn't work",
	"Referenz {custno} bei der Überweisung angegeben, {amount}",
	"2x bestellt, {amount} abgebucht am {date}",
	"Lieferung kam am {date} um {time}, aber kaputt",
	"meine Bestellung vom {date} mit {num} Artikeln",
	"Sendung {tracking} ist verloren gegangen",
	"habe {amount} überwiesen, ref {order}",
	"rechnungsnummer {order} betrag {amount}",
	"order #{num} placed {date}",
	"Bestellung {order} für eine Reisepasshülle",
	"passport cover, order {order}",
	"Ausweis-App zeigt Fehler {num}",
	"bought it at {shop} dot de",
}

// lookalikeMessages are complete hand-written messages without personal
// data that still resemble it: cues without values, street words without
// numbers, sign-offs without names.
var lookalikeMessages = []string{
	"Mein Name ist falsch geschrieben auf der Rechnung",
	"my name is spelled wrong on the invoice",
	"Viele Grüße aus Berlin und danke für nix",
	"Grüße an das Team!",
	"thanks again for the help",
	"Danke, das hat geklappt",
	"mein paket ist weg 3 tage schon",
	"we drove 5 days drive to get here lol",
	"it's a 2 way street, I pay you deliver",
	"die Straße ist gesperrt, kann der Fahrer nicht liefern?",
	"PLZ 10115 geht das?",
	"ich bin 34 und hab noch nie so schlechten service erlebt",
	"Bestellung vom 12.03.2024 fehlt",
	"hab 3 Stück bestellt, 2 kamen an",
	"Preis 129,99 € statt 99,99 €",
	"Kundennummer 0012345678 hilft das?",
	"Ihre Hotline 0800 nimmt nicht ab",
	"version 2.14.3 der app stürzt ab",
	"der code 4711-0815 funktioniert nicht",
	"rechnung RE-2024-000123",
	"was kostet der versand nach österreich?",
	"wann ist mein Geburtstagsgeschenk da? bestellt am 02.12.2024",
	"Born to be wild t-shirt size 12 please",
	"best price for 3 items?",
	"can i pay with card?",
	"Kreditkarte wird nicht akzeptiert",
	"Wie ändere ich meine IBAN?",
	"email kommt nicht an",
	"ruft mich bitte an",
	"bitte an die neue adresse liefern",
	"hi, this is ridiculous, 3 weeks waiting",
	"Lieferung an Packstation 123 möglich?",
	"Raum 204, 2. Stock",
	"Seite 12 der Anleitung fehlt",
	"bitte 2 x 500 ml",
	"i am called back never",
	"Gruß und Dank",
	"ich heisse nicht gut, dass ihr so lange braucht",
	"Zahlung von 1.299,00 EUR am 01.02.2025",
	"am Markt gibt es keine Filiale?",
	"Tel. habe ich keins",
	"Bahnhofstraße ist die neue Filiale?",
	"cheers mate",
	"3 hours drive to your shop",
}

// introTemplates introduce the visitor with a weak cue ("ich bin", "I am",
// "hier ist", "this is"). After these cues the detector wants a name's
// shape (two capitalised words, or a title and a surname; one word only
// when the cue opens the message), so the placeholders fill in exactly
// that: {fullname} "Anna Schmidt", {titled} "Frau Schmidt", {first} "Anna".
var introTemplates = []string{
	"Hi, I am {fullname} and I can't log in",
	"Hallo, hier ist {fullname}",
	"ich bin {fullname}, Kundennummer {custno}, und komme nicht mehr in mein Konto",
	"Hallo, hier ist {fullname}. Meine Bestellung ist immer noch nicht da.",
	"Guten Tag, hier spricht {fullname}, ich hatte gestern wegen der Rücksendung angerufen",
	"Hallo zusammen, ich bin {fullname} und habe eine Frage zu meiner Rechnung",
	"Ich bin {fullname} und wollte fragen, wann die Erstattung kommt",
	"Moin, hier ist {fullname} – das Paket kam beschädigt an",
	"Paket ist weg. Ich bin {fullname}, bitte um Rückruf",
	"Guten Morgen, ich bin {titled} und möchte meinen Vertrag kündigen",
	"hallo hier ist {fullname} wegen meiner bestellung vom montag",
	"Hello, I'm {fullname}, my order hasn't arrived yet",
	"Hi, this is {fullname}, the refund for my return is still missing",
	"I'm {fullname} and I was charged twice for the same order",
	"Good morning, this is {titled}, please call me back about my instalments",
	"Hi there, I’m {fullname} - my account got locked after the update",
	"hey, this is {first}, is my parcel on its way?",
	"Hi, I'm {first} and I need help with a return",
	"Hallo, hier ist {first}! Wo bleibt mein Paket?",
	"I am {fullname}, customer number {custno}, please update my address",
}

// introLookalikes follow the same cues with words that are no names: the
// nouns German capitalises, nationalities, roles, brands, dates, and
// messages typed In Title Case.
var introLookalikes = []string{
	"ich bin Kunde seit 2019 und total unzufrieden",
	"ich bin Kunde",
	"Hallo, ich bin Student und brauche einen Ratenplan",
	"ich bin Student",
	"Ich bin Neukunde und finde den Login nicht",
	"ich bin Selbstständig, kann ich auf Rechnung kaufen?",
	"Ich bin Zahlfix Kunde und die App stürzt ab",
	"ich bin Premium Kunde, warum zahle ich Versand?",
	"Hallo, ich bin Ende Mai umgezogen, wie ändere ich die Adresse?",
	"Ich bin Rentnerin und komme mit der App nicht klar",
	"hier ist Chaos, seit drei Tagen keine Antwort",
	"Ich bin Montag Vormittag erreichbar",
	"ich bin Mitglied im Kundenclub, gilt der Rabatt auch online?",
	"Ich bin Verwirrt, die Rechnung stimmt nicht",
	"Ich bin Opfer von Betrug geworden, jemand hat auf meinen Namen bestellt",
	"Hallo, hier ist Foto vom kaputten Paket",
	"ich bin Schwerbehindert und brauche die Lieferung bis zur Tür",
	"Ich bin Deutsche, wohne aber in Österreich",
	"ich bin Alleinerziehende Mutter und kann gerade nicht zahlen",
	"Ich bin Ab Montag im Urlaub, bitte erst danach liefern",
	"ich bin Anfang Juli wieder da",
	"Guten Tag, ich bin Privatkunde, nicht Geschäftskunde",
	"Hallo, hier ist Kundenservice?",
	"I am German and your site only shows English",
	"I'm Unable To Log In",
	"I am Locked out of my account",
	"I am in Berlin, can I pick it up?",
	"I'm Really Upset, the refund never came",
	"I Am Not Able To Reset My Password",
	"Hi, I am a Premium Member and still paying fees",
	"I'm Gold Customer since 2018",
	"I am Very Disappointed With The Service",
	"This is URGENT, my card was stolen",
	"Hi, this is Ridiculous, three weeks and no refund",
	"This is Regarding Order 12345",
	"I'm New here, how do I pay in instalments?",
	"I am Self Employed, can I still apply?",
	"I'm Confused, why two invoices?",
	"I am Travelling Abroad next week, will my card work?",
	"I'm Still Waiting For My Refund",
	"I am British but live in Germany",
	"I'm Running Late with the payment",
	"this is Black Friday pricing, right?",
	"Hello, this is Apple Pay not working again",
	"I am Christmas shopping, do you ship fast?",
	"I'm Happy With The App But Not The Fees",
}

// bankTemplates give an old account number with its bank code, in either
// order, with the words older customers and letters put between them.
// Both numbers are labelled iban: the detector reports the pair as one
// IBAN span, which overlaps both labels.
var bankTemplates = []string{
	"Kontonummer {kto} BLZ {blz}",
	"bitte überweisen sie auf mein altes konto {kto}, blz {blz}",
	"Konto: {kto}\nBLZ: {blz}\nBank: Sparkasse",
	"Kto.-Nr. {kto} bei der Volksbank, BLZ {blz}",
	"meine Bankverbindung: BLZ {blz}, Kontonummer {kto}",
	"Erstattung bitte auf Kto {kto} (BLZ {blz})",
	"hab keine iban zur hand, nur kontonummer {kto} und bankleitzahl {blz}",
	"refund to my German account no {kto}, BLZ {blz} please",
	"Lastschrift bitte von Konto-Nr. {kto}, Bankleitzahl {blz} einziehen",
	"Bankleitzahl {blz} Kontonummer {kto}, Inhaber ist mein Mann",
}

// steuernummerTemplates give a Steuernummer after (or once before) the
// word that names it.
var steuernummerTemplates = []string{
	"meine Steuernummer ist {stnr}",
	"Steuernummer: {stnr}",
	"StNr. {stnr} für die Rechnung bitte",
	"St.-Nr.: {stnr}",
	"bitte die steuernummer {stnr} auf der rechnung angeben",
	"Steuer-Nr. {stnr}, Finanzamt München",
	"my tax number is {stnr}",
	"{stnr} ist meine steuernummer",
	"rechnung an die firma, steuernummer lautet {stnr}",
	"Für die Spendenquittung: St.Nr. {stnr}",
}

// bankLookalikeTemplates hold the same numbers without their cue, or a
// cue without its number or its partner: order numbers, file numbers,
// dates and fractions with slashes, a bank code alone.
var bankLookalikeTemplates = []string{
	"die BLZ {xblz} gehört zu welcher bank?",
	"Kontonummer {xkto} - wo finde ich die BLZ?",
	"Bestellnummer {xkto}, die BLZ der Bank weiß ich nicht",
	"Auftrag {xkto} vom {sdate}",
	"Aktenzeichen {xstnr}, bitte um Rückmeldung",
	"Lieferung am {sdate}, nur {frac} der Ware kam an",
	"Steuernummer fehlt auf der Rechnung {order}",
	"brauche eine rechnung mit steuernummer, bestellung {order}",
	"Paket {xstnr} kam nicht an",
	"my account {xkto} is locked",
	"hab {frac} liter bestellt, kam aber 1 liter",
	"Konto {xkto} wurde am {sdate} belastet, ohne BLZ kein Einzug?",
	"Kundennummer {custno}, BLZ unbekannt",
	"{xstnr} ist meine Bestellnummer",
	"Vorgang {xstnr} vom {sdate} bitte prüfen",
	"Termin am {sdate} um {time} passt",
}

// bankLookalikes name an account, a bank code or a tax number without
// giving one.
var bankLookalikes = []string{
	"mein konto ist gesperrt, was tun?",
	"Konto gesperrt nach 3 Fehlversuchen",
	"was ist eine BLZ? ich hab nur die IBAN",
	"BLZ",
	"Kontonummer und BLZ gibt es doch gar nicht mehr, oder?",
	"wo steht die Steuernummer auf der Rechnung?",
	"Steuer 19% auf 2/3 der Bestellung?",
	"Konto 2 von 3 ist leer",
	"brauchen sie meine alte Kontonummer oder die IBAN?",
	"St. Martin 12/11 geschlossen?",
}
