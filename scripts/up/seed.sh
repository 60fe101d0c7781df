#!/usr/bin/env bash
# Example content for a fresh system: created on the master, broadcast to every ship; and, when a
# ship and its link are given, one conflict made as at sea (the ship's link cut while the shore and
# the crew edit the same article), waiting in the operator console.
# Usage: scripts/up/seed.sh MASTER_URL API_KEY [SHIP_URL CREW_KEY LINKS_URL]
set -euo pipefail
master="$1"
key="$2"
ship="${3:-}"
crew_key="${4:-}"
links="${5:-}"

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

[ -n "$ship" ] || exit 0
patch() { # URL KEY PATH DATA
  curl -fsS -X PATCH "$1/api/content/$3" -H "X-API-Key: $2" -H 'Content-Type: application/json' \
    -d "$4" >/dev/null
}
notice="$(post notice '{"locale":"en","data":{"text":"Muster at the lifeboats at 16:00"}}' | id_of)"
for _ in $(seq 1 120); do
  curl -fs -H "X-API-Key: $crew_key" "$ship/api/content/notice/$notice?locale=en" >/dev/null && break
  sleep 0.5
done
curl -fsS -X POST "$links/ship-a/down" >/dev/null
patch "$master" "$key" "article/$article?locale=en" '{"data":{"title":"Safety drill schedule (winter)"}}'
patch "$ship" "$crew_key" "article/$article?locale=en" '{"data":{"title":"Safety drills: Mondays and Thursdays","body":"Drills every Monday and Thursday at 10:00."}}'
curl -fsS -X POST "$links/ship-a/up" >/dev/null
echo "Made a conflict on article $article (en): ship-a and the shore edited its title"
