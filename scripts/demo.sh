#!/usr/bin/env bash
# The main job of minga, end to end on this machine:
#   a central server on its embedded SQLite store, with the offer catalogue loaded;
#   a parish technician's laptop recording cooperation work offline, then enrolling and syncing;
#   a second device of the same parish and one of another parish converging on their scopes;
#   the consolidated national report on the server.
# Sets everything up first (Debian packages, build). Leaves its data in $MINGA_DEMO_DIR
# (default: a new folder under /tmp) so you can look at it afterwards.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bash "$root/scripts/install-deps.sh"
bash "$root/scripts/build.sh" "$root/build"

S="$root/build/server/minga-server"
C="$root/build/client/minga"
samples="$root/data/samples"
work="${MINGA_DEMO_DIR:-$(mktemp -d /tmp/minga-demo.XXXXXX)}"
mkdir -p "$work"
server_pid=""
cleanup() { [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null; true; }
trap cleanup EXIT

step() { printf '\n== %s ==\n' "$*"; }
srv() { "$S" --data "$work/central" "$@"; }
alangasi() { "$C" --data "$work/alangasi" "$@"; }
tablet() { "$C" --data "$work/alangasi-tablet" "$@"; }
amaguana() { "$C" --data "$work/amaguana" "$@"; }
id_of() { sed -n 's/.*"id":"\([0-9a-f-]*\)".*/\1/p'; }

step "1. Servidor central: almacén, catálogos de cooperación"
srv init
srv catalog import organisations "$samples/organisations.csv"
srv catalog import ngos "$samples/ngos.csv"
srv catalog import offers "$samples/offers.csv"
# Started directly (not through `srv`), so $! is the server itself and the cleanup stops it.
"$S" --data "$work/central" serve --listen 127.0.0.1:0 > "$work/server.out" 2> "$work/server.log" &
server_pid=$!
for _ in $(seq 1 100); do [ -s "$work/server.out" ] && break; sleep 0.1; done
url="$(sed -n 's/^listening on //p' "$work/server.out" | head -n1)"
[ -n "$url" ] || { echo "el servidor no arrancó; vea $work/server.log" >&2; exit 1; }
echo "servidor en $url"
# The certificate `init` created; each device pins its fingerprint when it enrols.
pin="$(srv cert show)"
echo "huella del certificado: $pin"

step "2. GAD parroquial de Alangasí (170151): trabajo sin conexión"
alangasi init --gad 170151
project=$(alangasi --json project add --title "Restauración de la cuenca del río San Pedro" \
  --modality fin_no_reembolsable --source descentralizada --sdg 6 --sdg 15 --sector 41030:70 \
  --sector 31220:30 --location "170151:Barrio El Tingo:-0.3070:-78.4050" \
  --budget 2026-01-01:2026-12-31:48000.00 --planned-start 2026-01-15 --planned-end 2027-06-30 \
  --pdot "Objetivo 2: ambiente sano" --beneficiaries 1200 | id_of)
echo "proyecto $project"
indicator=$(alangasi --json indicator add --project "$project" --title "Hectáreas restauradas" \
  --unit ha --aggregation sum --baseline 0 --baseline-year 2025 --target 40 | id_of)
alangasi observe --indicator "$indicator" --value 3.5 --date 2026-03-10 --lat -0.3071 --lon -78.4049 \
  --note "Minga comunitaria, sector El Tingo"
printf 'indicator,value,date,lat,lon,note\n' > "$work/observaciones.csv"
for m in 04 05 06 07 08 09; do
  printf '%s,%s,2026-%s-15,-0.30%s,-78.40%s,Jornada de reforestación\n' "$indicator" "2.$m" "$m" "$m" "$m" \
    >> "$work/observaciones.csv"
done
alangasi import "$work/observaciones.csv"
alangasi status

step "3. Inscripción y primera sincronización (el enlace aparece)"
token=$(srv --json device enroll --gad 170151 --name "Laptop técnico" | sed -n 's/.*"token":"\([0-9a-f]*\)".*/\1/p')
alangasi enroll --server "$url" --token "$token" --pin "$pin"
alangasi sync
alangasi offer search educacion
alangasi offer search agua potable

step "4. Un convenio con una ONG extranjera inactiva en el directorio: minga avisa"
ngo_ruc=$(awk -F, 'NR>1 && $6=="inactiva" {print $4; exit}' "$samples/ngos.csv")
alangasi agreement add --title "Convenio de cooperación ambiental" --kind convenio_especifico \
  --status negociacion --currency USD --cooperant-amount 25000.00 --cooperant "$ngo_ruc" || true
alangasi sync

step "5. Una tableta de la misma parroquia y un dispositivo de Amaguaña (170152)"
tablet init --gad 170151
tablet enroll --server "$url" --pin "$pin" --token "$(srv --json device enroll --gad 170151 --name Tableta | sed -n 's/.*"token":"\([0-9a-f]*\)".*/\1/p')"
tablet sync
tablet list project
amaguana init --gad 170152
amaguana enroll --server "$url" --pin "$pin" --token "$(srv --json device enroll --gad 170152 --name Amaguaña | sed -n 's/.*"token":"\([0-9a-f]*\)".*/\1/p')"
amaguana sync
echo "Amaguaña ve $(amaguana --json list project | sed -n 's/.*"count":\([0-9]*\).*/\1/p') proyectos de Alangasí (debe ser 0)"

step "6. Convergencia: la huella de cada dispositivo es la del servidor para su ámbito"
echo "servidor 170151: $(srv digest --gad 170151)"
echo "laptop:          $(alangasi digest)"
echo "tableta:         $(tablet digest)"
echo "servidor 170152: $(srv digest --gad 170152)"
echo "Amaguaña:        $(amaguana digest)"
[ "$(srv digest --gad 170151)" = "$(alangasi digest)" ] && [ "$(alangasi digest)" = "$(tablet digest)" ] \
  && [ "$(srv digest --gad 170152)" = "$(amaguana digest)" ] && echo "convergencia: OK"

step "7. Consolidación nacional y reporte"
srv consolidate
srv report --by province
srv report --by ods
srv device list

step "8. Exportaciones (registro nacional, IATI 2.03) y tablero"
srv export registry --out "$work/registro-nacional.csv"
srv export iati --per-gad --out "$work/iati"
if command -v xmllint >/dev/null; then
  xmllint --noout --nonet --schema "$root/data/iati/schema-2.03/iati-activities-schema.xsd" "$work"/iati/*.xml
fi
secret=$(srv --json user add "Oficina central" | sed -n 's/.*"secret":"\([^"]*\)".*/\1/p')
echo "tablero (mientras el servidor siga en marcha): $url/dashboard/login#clave=$secret"
echo
echo "datos de la demostración en $work"
