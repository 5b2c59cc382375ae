// Regenerates data/departements.csv, data/communes.csv (with postcodes) and data/epci.csv from the npm package
// @etalab/decoupage-administratif (see data/README.md) and the 2018 commune centroids in data/geo/.
//
//   mkdir -p /tmp/decoupage && cd /tmp/decoupage && npm install @etalab/decoupage-administratif@6.0.0
//   node data/generer.mjs /tmp/decoupage/node_modules/@etalab/decoupage-administratif
//
// Only the 101 départements (metropolitan and the five overseas départements, zones `metro` and
// `drom`) are kept; overseas collectivities (975, 977, 978, 98x) have no Caf in the experiment.
import { readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const paquet = process.argv[2]
if (!paquet) {
  console.error('usage: node data/generer.mjs <path to @etalab/decoupage-administratif>')
  process.exit(2)
}
const ici = dirname(fileURLToPath(import.meta.url))
const lire = (nom) => JSON.parse(readFileSync(join(paquet, 'data', nom), 'utf8'))

const departements = lire('departements.json').filter((d) => d.zone === 'metro' || d.zone === 'drom')
const codesDepartements = new Set(departements.map((d) => d.code))
const communes = lire('communes.json').filter(
  (c) => c.type === 'commune-actuelle' && codesDepartements.has(c.departement),
)

// code -> [latitude, longitude] as written in the centroid file (text, kept exactly).
const centroides = new Map()
// The file has CRLF line ends: split on both so that no carriage return sticks to the longitude.
const lignes = readFileSync(join(ici, 'geo', 'communes-centroides-2018.csv'), 'utf8').trim().split(/\r?\n/)
for (const ligne of lignes.slice(1)) {
  const champs = ligne.split(',')
  const longitude = champs.pop()
  const latitude = champs.pop()
  centroides.set(champs[0], [latitude, longitude])
}

const csv = (v) => {
  const s = String(v ?? '')
  return /[",\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s
}

// Département populations: the sum of its current communes' populations (arrondissements
// municipaux excluded, they are parts of Paris, Lyon and Marseille).
const population = new Map()
for (const c of communes) {
  population.set(c.departement, (population.get(c.departement) ?? 0) + (c.population ?? 0))
}
const ordre = (a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0)
// `type_liaison` is INSEE's TNCC (article and charnière of the name: 0 « de Paris », 2 « du Nord »,
// 3 « de la Gironde », 4 « des Yvelines », 5 « de l'Isère »), used to name the Caf.
const sortieDepartements = ['code,nom,region,population,type_liaison']
for (const d of departements.sort(ordre)) {
  sortieDepartements.push([d.code, d.nom, d.region, population.get(d.code) ?? 0, d.typeLiaison].map(csv).join(','))
}
writeFileSync(join(ici, 'departements.csv'), sortieDepartements.join('\n') + '\n')

// Coordinates: the 2018 centroid of the same code (for a commune merged after 2018 that kept its
// chef-lieu's code, the chef-lieu's centroid: a point inside the commune); else the mean of the
// centroids of its former communes (`anciensCodes`); else none.
let parCode = 0
let parAnciens = 0
const sansCentroide = []
const sansCodePostal = []
const sortieCommunes = ['code,nom,departement,population,latitude,longitude,codes_postaux']
for (const c of communes.sort(ordre)) {
  let position = centroides.get(c.code)
  if (position) {
    parCode += 1
  } else {
    const anciens = (c.anciensCodes ?? []).map((a) => centroides.get(a)).filter(Boolean)
    if (anciens.length > 0) {
      const moyenne = (i) => (anciens.reduce((s, p) => s + Number(p[i]), 0) / anciens.length).toFixed(5)
      position = [moyenne(0), moyenne(1)]
      parAnciens += 1
    } else {
      position = ['', '']
      sansCentroide.push(`${c.code} ${c.nom}`)
    }
  }
  // Postcodes (La Poste's, as the package ships them): space-separated, sorted, without duplicates;
  // a commune may have several (Paris has 21), and a postcode may serve several communes.
  const codesPostaux = [...new Set(c.codesPostaux ?? [])].sort()
  if (codesPostaux.length === 0) sansCodePostal.push(`${c.code} ${c.nom}`)
  sortieCommunes.push(
    [c.code, c.nom, c.departement, c.population ?? '', ...position, codesPostaux.join(' ')].map(csv).join(','),
  )
}
writeFileSync(join(ici, 'communes.csv'), sortieCommunes.join('\n') + '\n')

// EPCI à fiscalité propre (métropoles, communautés urbaines, d'agglomération, de communes) and
// their member communes, kept when at least one member is a commune written above; members are
// space-separated INSEE codes, in the package's order (only those written above).
const codesCommunes = new Set(communes.map((c) => c.code))
const sortieEpci = ['code,nom,type,communes']
let membresEpci = 0
for (const e of lire('epci.json').sort(ordre)) {
  const membres = e.membres.map((m) => m.code).filter((code) => codesCommunes.has(code))
  if (membres.length === 0) continue
  membresEpci += membres.length
  sortieEpci.push([e.code, e.nom, e.type, membres.join(' ')].map(csv).join(','))
}
writeFileSync(join(ici, 'epci.csv'), sortieEpci.join('\n') + '\n')

console.log(`${departements.length} départements, ${communes.length} communes`)
console.log(`${sortieEpci.length - 1} EPCI, ${membresEpci} member communes`)
console.log(`centroids: ${parCode} by code, ${parAnciens} by former codes, ${sansCentroide.length} none`)
if (sansCentroide.length > 0) console.log(sansCentroide.join('\n'))
console.log(`postcodes: ${sansCodePostal.length} communes without`)
if (sansCodePostal.length > 0) console.log(sansCodePostal.join('\n'))
