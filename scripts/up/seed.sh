#!/usr/bin/env bash
# Example content for a fresh system: created on the master, broadcast to every ship.
# Usage: scripts/up/seed.sh MASTER_URL API_KEY
set -euo pipefail
master="$1"
key="$2"

post() {
  curl -fsS -X POST "$master/api/content/$1" -H "X-API-Key: $key" \
    -H 'Content-Type: application/json' -d "$2"
}
id_of() { node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).id))'; }

author="$(post author '{"data":{"name":"Captain Nemo","bio":"Commands the Nautilus"}}' | id_of)"
article="$(post article "{\"locale\":\"en\",\"data\":{\"title\":\"Safety drill schedule\",\"body\":\"Drills every Monday at 10:00.\",\"author\":\"$author\",\"tags\":[\"safety\"]}}" | id_of)"
post article "{\"id\":\"$article\",\"locale\":\"fr\",\"data\":{\"title\":\"Calendrier des exercices\",\"body\":\"Exercices chaque lundi à 10h.\",\"author\":\"$author\",\"tags\":[\"sécurité\"]}}" >/dev/null
post checklist '{"data":{"lifeboats":"unchecked","fire-extinguishers":"unchecked","radio":"unchecked"}}' >/dev/null
post notice '{"locale":"en","data":{"text":"Port call in Lisbon on Friday"}}' >/dev/null
echo "Seeded: author $author, article $article (en, fr), a checklist and a notice"
