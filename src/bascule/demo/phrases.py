"""Short sentences the demo's people write, per language (fr, en, de, es, it).

Each space has a language (its site's, or the company's French or English) and a theme;
a text is one template with ``{subject}`` (a subject of the theme), ``{site}`` and, for
mentions, ``{mention}`` filled in. Few enough combinations that identical paragraphs are
rendered once (the loader caches them), varied enough to read like a real network.
"""

THEMES = ("news", "it", "site", "quality", "sales", "project", "wellbeing", "innovation", "network", "hr")

SUBJECTS = {
    "fr": {
        "news": ("les résultats du trimestre", "le plan stratégique 2030", "le séminaire annuel", "la semaine de la sécurité"),
        "it": ("le VPN", "la messagerie", "l'imprimante du 3e étage", "le changement de mot de passe"),
        "site": ("la cantine", "le parking vélos", "les travaux du bâtiment B", "le tri des déchets"),
        "quality": ("l'audit ISO 9001", "les non-conformités", "la démarche 5S", "les retours clients"),
        "sales": ("le salon de Francfort", "les appels d'offres", "le CRM", "les objectifs du trimestre"),
        "project": ("le planning du projet", "la recette", "la migration des données", "la formation des utilisateurs"),
        "wellbeing": ("la course solidaire", "le yoga du midi", "le tournoi de foot", "les randonnées du week-end"),
        "innovation": ("l'impression 3D", "l'intelligence artificielle", "les capteurs connectés", "la boîte à idées"),
        "network": ("Bascule", "les communautés", "le réseau des ambassadeurs", "les bonnes pratiques de publication"),
        "hr": ("l'entretien annuel", "le télétravail", "la mutuelle", "le plan de formation"),
    },
    "en": {
        "news": ("the quarterly results", "the 2030 strategic plan", "the annual kick-off", "safety week"),
        "it": ("the VPN", "e-mail on the phone", "the third-floor printer", "password resets"),
        "site": ("the canteen", "the bike shed", "the building works", "recycling"),
        "quality": ("the ISO 9001 audit", "non-conformities", "the 5S programme", "customer feedback"),
        "sales": ("the Frankfurt trade fair", "tenders", "the CRM", "this quarter's targets"),
        "project": ("the project plan", "acceptance testing", "the data migration", "user training"),
        "wellbeing": ("the charity run", "lunchtime yoga", "the five-a-side tournament", "weekend hikes"),
        "innovation": ("3D printing", "artificial intelligence", "connected sensors", "the idea box"),
        "network": ("Bascule", "communities", "the ambassador network", "good posting habits"),
        "hr": ("the annual review", "remote work", "health insurance", "the training plan"),
    },
    "de": {
        "news": ("die Quartalszahlen", "den Strategieplan 2030", "das Jahresmeeting", "die Sicherheitswoche"),
        "it": ("das VPN", "die E-Mail auf dem Handy", "den Drucker im dritten Stock", "das Zurücksetzen von Passwörtern"),
        "site": ("die Kantine", "die Fahrradstellplätze", "die Bauarbeiten", "die Mülltrennung"),
        "quality": ("das ISO-9001-Audit", "die Abweichungen", "das 5S-Programm", "das Kundenfeedback"),
        "sales": ("die Messe in Frankfurt", "die Ausschreibungen", "das CRM", "die Quartalsziele"),
        "project": ("den Projektplan", "die Abnahmetests", "die Datenmigration", "die Anwenderschulung"),
        "wellbeing": ("den Spendenlauf", "Yoga in der Mittagspause", "das Fußballturnier", "die Wanderungen am Wochenende"),
        "innovation": ("den 3D-Druck", "künstliche Intelligenz", "vernetzte Sensoren", "die Ideenbox"),
        "network": ("Bascule", "die Communities", "das Botschafter-Netzwerk", "gute Beiträge"),
        "hr": ("das Jahresgespräch", "das Homeoffice", "die Krankenversicherung", "den Schulungsplan"),
    },
    "es": {
        "news": ("los resultados del trimestre", "el plan estratégico 2030", "la convención anual", "la semana de la seguridad"),
        "it": ("la VPN", "el correo en el móvil", "la impresora de la tercera planta", "el cambio de contraseña"),
        "site": ("el comedor", "el aparcamiento de bicis", "las obras del edificio", "el reciclaje"),
        "quality": ("la auditoría ISO 9001", "las no conformidades", "el programa 5S", "las opiniones de los clientes"),
        "sales": ("la feria de Fráncfort", "las licitaciones", "el CRM", "los objetivos del trimestre"),
        "project": ("el calendario del proyecto", "las pruebas de aceptación", "la migración de datos", "la formación de usuarios"),
        "wellbeing": ("la carrera solidaria", "el yoga a mediodía", "el torneo de fútbol", "las excursiones del fin de semana"),
        "innovation": ("la impresión 3D", "la inteligencia artificial", "los sensores conectados", "el buzón de ideas"),
        "network": ("Bascule", "las comunidades", "la red de embajadores", "las buenas prácticas de publicación"),
        "hr": ("la evaluación anual", "el teletrabajo", "el seguro médico", "el plan de formación"),
    },
    "it": {
        "news": ("i risultati del trimestre", "il piano strategico 2030", "la convention annuale", "la settimana della sicurezza"),
        "it": ("la VPN", "la posta sul telefono", "la stampante del terzo piano", "il cambio password"),
        "site": ("la mensa", "il parcheggio bici", "i lavori nell'edificio", "la raccolta differenziata"),
        "quality": ("l'audit ISO 9001", "le non conformità", "il programma 5S", "il feedback dei clienti"),
        "sales": ("la fiera di Francoforte", "le gare d'appalto", "il CRM", "gli obiettivi del trimestre"),
        "project": ("il piano di progetto", "i test di accettazione", "la migrazione dei dati", "la formazione degli utenti"),
        "wellbeing": ("la corsa solidale", "lo yoga in pausa pranzo", "il torneo di calcetto", "le escursioni del fine settimana"),
        "innovation": ("la stampa 3D", "l'intelligenza artificiale", "i sensori connessi", "la cassetta delle idee"),
        "network": ("Bascule", "le community", "la rete degli ambasciatori", "le buone pratiche di pubblicazione"),
        "hr": ("il colloquio annuale", "il lavoro da remoto", "l'assicurazione sanitaria", "il piano di formazione"),
    },
}

# The #tag of each theme, then tags any text may add.
THEME_TAGS = {
    "fr": {"news": "actualités", "it": "informatique", "site": "vieDeSite", "quality": "qualité", "sales": "ventes",
           "project": "projet", "wellbeing": "bienÊtre", "innovation": "innovation", "network": "bascule", "hr": "RH"},
    "en": {"news": "news", "it": "IT", "site": "siteLife", "quality": "quality", "sales": "sales",
           "project": "project", "wellbeing": "wellbeing", "innovation": "innovation", "network": "bascule", "hr": "HR"},
    "de": {"news": "Neuigkeiten", "it": "Informatik", "site": "Standort", "quality": "Qualität", "sales": "Vertrieb",
           "project": "Projekt", "wellbeing": "Gesundheit", "innovation": "Innovation", "network": "bascule", "hr": "Personal"},
    "es": {"news": "noticias", "it": "informática", "site": "sede", "quality": "calidad", "sales": "ventas",
           "project": "proyecto", "wellbeing": "bienestar", "innovation": "innovación", "network": "bascule", "hr": "RRHH"},
    "it": {"news": "notizie", "it": "informatica", "site": "sede", "quality": "qualità", "sales": "vendite",
           "project": "progetto", "wellbeing": "benessere", "innovation": "innovazione", "network": "bascule", "hr": "risorseUmane"},
}
EXTRA_TAGS = {
    "fr": ("entraide", "bonnesPratiques", "merci"),
    "en": ("help", "bestPractices", "thanks"),
    "de": ("Hilfe", "Tipps", "Danke"),
    "es": ("ayuda", "buenasPrácticas", "gracias"),
    "it": ("aiuto", "buonePratiche", "grazie"),
}

PHRASES = {
    "fr": {
        "discussion": (
            "Petit retour d'expérience sur {subject} : ça a plutôt bien marché chez nous.",
            "Que pensez-vous de {subject} ? J'ai l'impression qu'on avance dans le bon sens.",
            "J'ai mis nos notes sur {subject} dans le dossier de l'équipe, vos remarques sont les bienvenues.",
            "Bravo à toute l'équipe pour le travail sur {subject} !",
            "À {site}, nous testons une nouvelle façon d'aborder {subject}. Quelqu'un a déjà essayé ?",
            "Un point rapide sur {subject} avant la réunion de jeudi.",
        ),
        "question": (
            "Quelqu'un sait à qui s'adresser pour {subject} ?",
            "Avez-vous un conseil sur {subject} ? Je débute sur le sujet.",
            "Où trouver la documentation à jour sur {subject} ?",
            "Est-ce que {subject} concerne aussi les équipes de {site} ?",
        ),
        "answer": (
            "Bonne question : le plus simple est de passer par le référent de ton site.",
            "Il y a une page à jour sur l'intranet, je t'envoie le lien.",
            "Nous avons eu le même souci le mois dernier, c'est réglé depuis la mise à jour.",
            "L'équipe support peut t'aider, ils répondent vite.",
            "Oui, c'est prévu pour tous les sites d'ici la fin du mois.",
        ),
        "comment": (
            "Merci pour le partage !",
            "Très intéressant, on devrait en parler à la prochaine réunion d'équipe.",
            "Tout à fait d'accord.",
            "Super initiative, bravo !",
            "Tu pourrais en dire plus sur la mise en place ?",
            "Nous avons fait la même chose à {site}, ça marche bien.",
        ),
        "reply": ("Merci, c'est noté.", "Bonne idée, je regarde ça.", "Je t'envoie les détails demain."),
        "announcement_title": ("À savoir : {subject}", "Nouveau : {subject}"),
        "announcement": (
            "Voici les nouveautés concernant {subject}. Tous les détails sont dans la note jointe ; posez vos questions en commentaire.",
            "À partir du mois prochain, {subject} évolue. Les équipes concernées seront accompagnées site par site.",
        ),
        "article_title": ("Retour d'expérience : {subject}", "Trois conseils sur {subject}"),
        "article": (
            "## Le contexte\n\nNous avons travaillé trois mois sur {subject}.\n\n## Ce que nous en retenons\n\n"
            "- impliquer les équipes dès le début\n- mesurer avant et après\n- partager les résultats",
            "Voici ce qui nous a aidés sur {subject} :\n\n1. commencer petit\n2. demander l'avis des équipes\n3. **fêter les réussites**",
        ),
        "share": ("À lire, ça peut intéresser l'équipe.", "Je partage ici, c'est utile pour nous aussi."),
        "mention": ("{mention}, tu as travaillé sur ce sujet, qu'en penses-tu ?", "Je pense que {mention} pourra nous aider."),
    },
    "en": {
        "discussion": (
            "A quick lesson learned on {subject}: it went rather well for us.",
            "What do you think of {subject}? I feel we are moving in the right direction.",
            "I put our notes on {subject} in the team folder, comments welcome.",
            "Well done to the whole team for the work on {subject}!",
            "In {site} we are trying a new approach to {subject}. Has anyone tried it already?",
            "A short update on {subject} before Thursday's meeting.",
        ),
        "question": (
            "Does anyone know who to ask about {subject}?",
            "Any advice on {subject}? I am new to it.",
            "Where can I find up-to-date documentation on {subject}?",
            "Does {subject} also apply to the teams in {site}?",
        ),
        "answer": (
            "Good question: the easiest is to ask your site's referent.",
            "There is an up-to-date page on the intranet, I will send you the link.",
            "We had the same issue last month, it has been fixed since the update.",
            "The support team can help, they answer quickly.",
            "Yes, it is planned for every site by the end of the month.",
        ),
        "comment": (
            "Thanks for sharing!",
            "Very interesting, let's talk about it at the next team meeting.",
            "Fully agree.",
            "Great initiative, well done!",
            "Could you say more about how you set it up?",
            "We did the same in {site}, it works well.",
        ),
        "reply": ("Thanks, noted.", "Good idea, I will look into it.", "I will send you the details tomorrow."),
        "announcement_title": ("Good to know: {subject}", "New: {subject}"),
        "announcement": (
            "Here is what changes with {subject}. All the details are in the attached note; ask your questions in the comments.",
            "From next month, {subject} changes. The teams concerned will be supported site by site.",
        ),
        "article_title": ("Lessons learned: {subject}", "Three tips on {subject}"),
        "article": (
            "## Background\n\nWe worked on {subject} for three months.\n\n## What we learned\n\n"
            "- involve the teams from the start\n- measure before and after\n- share the results",
            "Here is what helped us with {subject}:\n\n1. start small\n2. ask the teams\n3. **celebrate successes**",
        ),
        "share": ("Worth a read, the team may be interested.", "Sharing here, it is useful for us too."),
        "mention": ("{mention}, you worked on this, what do you think?", "I think {mention} can help us."),
    },
    "de": {
        "discussion": (
            "Ein kurzer Erfahrungsbericht zu {subject}: Bei uns hat es gut geklappt.",
            "Was haltet ihr von {subject}? Ich finde, wir sind auf dem richtigen Weg.",
            "Ich habe unsere Notizen zu {subject} im Teamordner abgelegt, Anmerkungen sind willkommen.",
            "Glückwunsch an das ganze Team für die Arbeit an {subject}!",
            "In {site} probieren wir einen neuen Ansatz für {subject}. Hat das schon jemand versucht?",
            "Ein kurzes Update zu {subject} vor dem Treffen am Donnerstag.",
        ),
        "question": (
            "Weiß jemand, an wen ich mich wegen {subject} wenden kann?",
            "Habt ihr einen Tipp zu {subject}? Ich bin neu in dem Thema.",
            "Wo finde ich eine aktuelle Dokumentation zu {subject}?",
            "Betrifft {subject} auch die Teams in {site}?",
        ),
        "answer": (
            "Gute Frage: Am einfachsten fragst du den Ansprechpartner deines Standorts.",
            "Es gibt eine aktuelle Seite im Intranet, ich schicke dir den Link.",
            "Wir hatten letzten Monat dasselbe Problem, seit dem Update ist es behoben.",
            "Das Support-Team kann helfen, sie antworten schnell.",
            "Ja, das ist bis Monatsende für alle Standorte geplant.",
        ),
        "comment": (
            "Danke fürs Teilen!",
            "Sehr interessant, lasst uns beim nächsten Teamtreffen darüber sprechen.",
            "Volle Zustimmung.",
            "Tolle Initiative, Glückwunsch!",
            "Kannst du mehr zur Umsetzung erzählen?",
            "Wir haben in {site} dasselbe gemacht, es funktioniert gut.",
        ),
        "reply": ("Danke, notiert.", "Gute Idee, ich schaue es mir an.", "Ich schicke dir morgen die Details."),
        "announcement_title": ("Gut zu wissen: {subject}", "Neu: {subject}"),
        "announcement": (
            "Hier die Neuigkeiten zu {subject}. Alle Details stehen in der beigefügten Notiz; Fragen gerne in die Kommentare.",
            "Ab nächstem Monat ändert sich {subject}. Die betroffenen Teams werden Standort für Standort begleitet.",
        ),
        "article_title": ("Erfahrungsbericht: {subject}", "Drei Tipps zu {subject}"),
        "article": (
            "## Hintergrund\n\nWir haben drei Monate an {subject} gearbeitet.\n\n## Was wir gelernt haben\n\n"
            "- die Teams von Anfang an einbeziehen\n- vorher und nachher messen\n- die Ergebnisse teilen",
            "Das hat uns bei {subject} geholfen:\n\n1. klein anfangen\n2. die Teams fragen\n3. **Erfolge feiern**",
        ),
        "share": ("Lesenswert, das könnte das Team interessieren.", "Ich teile es hier, es ist auch für uns nützlich."),
        "mention": ("{mention}, du hast daran gearbeitet, was meinst du?", "Ich glaube, {mention} kann uns helfen."),
    },
    "es": {
        "discussion": (
            "Una breve experiencia sobre {subject}: nos ha ido bastante bien.",
            "¿Qué os parece {subject}? Creo que vamos por buen camino.",
            "He dejado nuestras notas sobre {subject} en la carpeta del equipo, se agradecen comentarios.",
            "¡Enhorabuena a todo el equipo por el trabajo en {subject}!",
            "En {site} estamos probando una nueva forma de abordar {subject}. ¿Alguien lo ha probado ya?",
            "Un resumen rápido sobre {subject} antes de la reunión del jueves.",
        ),
        "question": (
            "¿Alguien sabe a quién preguntar sobre {subject}?",
            "¿Algún consejo sobre {subject}? Soy nuevo en el tema.",
            "¿Dónde encuentro la documentación actualizada sobre {subject}?",
            "¿{subject} afecta también a los equipos de {site}?",
        ),
        "answer": (
            "Buena pregunta: lo más sencillo es preguntar al referente de tu sede.",
            "Hay una página actualizada en la intranet, te paso el enlace.",
            "Tuvimos el mismo problema el mes pasado, se resolvió con la actualización.",
            "El equipo de soporte puede ayudarte, responden rápido.",
            "Sí, está previsto para todas las sedes antes de fin de mes.",
        ),
        "comment": (
            "¡Gracias por compartir!",
            "Muy interesante, deberíamos hablarlo en la próxima reunión de equipo.",
            "Totalmente de acuerdo.",
            "¡Gran iniciativa, enhorabuena!",
            "¿Podrías contar más sobre cómo lo pusisteis en marcha?",
            "En {site} hicimos lo mismo y funciona bien.",
        ),
        "reply": ("Gracias, tomo nota.", "Buena idea, lo miro.", "Te envío los detalles mañana."),
        "announcement_title": ("Para saber: {subject}", "Novedad: {subject}"),
        "announcement": (
            "Estas son las novedades sobre {subject}. Todos los detalles están en la nota adjunta; dejad vuestras preguntas en los comentarios.",
            "A partir del mes que viene, {subject} cambia. Los equipos afectados recibirán apoyo sede por sede.",
        ),
        "article_title": ("Experiencia: {subject}", "Tres consejos sobre {subject}"),
        "article": (
            "## El contexto\n\nTrabajamos tres meses en {subject}.\n\n## Lo que aprendimos\n\n"
            "- implicar a los equipos desde el principio\n- medir antes y después\n- compartir los resultados",
            "Esto nos ayudó con {subject}:\n\n1. empezar poco a poco\n2. preguntar a los equipos\n3. **celebrar los éxitos**",
        ),
        "share": ("Merece la pena leerlo, puede interesar al equipo.", "Lo comparto aquí, también nos sirve."),
        "mention": ("{mention}, tú trabajaste en esto, ¿qué opinas?", "Creo que {mention} puede ayudarnos."),
    },
    "it": {
        "discussion": (
            "Una breve esperienza su {subject}: da noi è andata piuttosto bene.",
            "Cosa ne pensate di {subject}? Mi sembra che stiamo andando nella giusta direzione.",
            "Ho messo i nostri appunti su {subject} nella cartella del team, i commenti sono benvenuti.",
            "Complimenti a tutto il team per il lavoro su {subject}!",
            "A {site} stiamo provando un nuovo approccio a {subject}. Qualcuno l'ha già provato?",
            "Un breve aggiornamento su {subject} prima della riunione di giovedì.",
        ),
        "question": (
            "Qualcuno sa a chi rivolgersi per {subject}?",
            "Avete un consiglio su {subject}? Sono nuovo sull'argomento.",
            "Dove trovo la documentazione aggiornata su {subject}?",
            "{subject} riguarda anche i team di {site}?",
        ),
        "answer": (
            "Bella domanda: la cosa più semplice è chiedere al referente della tua sede.",
            "C'è una pagina aggiornata sull'intranet, ti mando il link.",
            "Abbiamo avuto lo stesso problema il mese scorso, è risolto dopo l'aggiornamento.",
            "Il team di supporto può aiutarti, rispondono in fretta.",
            "Sì, è previsto per tutte le sedi entro fine mese.",
        ),
        "comment": (
            "Grazie per la condivisione!",
            "Molto interessante, parliamone alla prossima riunione del team.",
            "Completamente d'accordo.",
            "Ottima iniziativa, complimenti!",
            "Puoi raccontare di più su come l'avete avviato?",
            "A {site} abbiamo fatto lo stesso e funziona bene.",
        ),
        "reply": ("Grazie, annotato.", "Buona idea, ci guardo.", "Ti mando i dettagli domani."),
        "announcement_title": ("Da sapere: {subject}", "Novità: {subject}"),
        "announcement": (
            "Ecco le novità su {subject}. Tutti i dettagli sono nella nota allegata; fate le vostre domande nei commenti.",
            "Dal prossimo mese {subject} cambia. I team interessati saranno accompagnati sede per sede.",
        ),
        "article_title": ("Esperienza: {subject}", "Tre consigli su {subject}"),
        "article": (
            "## Il contesto\n\nAbbiamo lavorato tre mesi su {subject}.\n\n## Cosa abbiamo imparato\n\n"
            "- coinvolgere i team fin dall'inizio\n- misurare prima e dopo\n- condividere i risultati",
            "Ecco cosa ci ha aiutato con {subject}:\n\n1. partire in piccolo\n2. chiedere ai team\n3. **festeggiare i successi**",
        ),
        "share": ("Da leggere, può interessare il team.", "Lo condivido qui, è utile anche a noi."),
        "mention": ("{mention}, ci hai lavorato tu, cosa ne pensi?", "Penso che {mention} possa aiutarci."),
    },
}
