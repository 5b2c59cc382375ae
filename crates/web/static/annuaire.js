// The directory's commune field as a combobox (WAI-ARIA 1.2 pattern, list autocomplete): while a
// parent types, the communes that match are fetched from /annuaire/communes and listed under the
// field; arrow keys move through them (aria-activedescendant), Enter or a click picks one,
// Escape closes the list. Without this script the field is a plain text field and the server
// resolves what was typed (offering a choice when it is ambiguous).
(function () {
  'use strict';
  var champ = document.getElementById('commune');
  if (!champ || !window.fetch) return;
  var zone = champ.parentNode;
  var liste = document.createElement('ul');
  liste.id = 'commune-suggestions';
  liste.className = 'suggestions';
  liste.setAttribute('role', 'listbox');
  liste.setAttribute('aria-label', 'Communes suggérées');
  liste.hidden = true;
  var annonce = document.createElement('p');
  annonce.className = 'sr-only';
  annonce.setAttribute('role', 'status');
  zone.appendChild(liste);
  zone.appendChild(annonce);
  champ.setAttribute('role', 'combobox');
  champ.setAttribute('aria-autocomplete', 'list');
  champ.setAttribute('aria-expanded', 'false');
  champ.setAttribute('aria-controls', liste.id);
  champ.setAttribute('autocomplete', 'off');

  var suggestions = [];
  var active = -1;
  var minuterie = null;
  var demande = 0;

  function fermer() {
    liste.hidden = true;
    champ.setAttribute('aria-expanded', 'false');
    champ.removeAttribute('aria-activedescendant');
    active = -1;
  }

  function activer(i) {
    var options = liste.children;
    for (var k = 0; k < options.length; k++) options[k].setAttribute('aria-selected', k === i ? 'true' : 'false');
    active = i;
    if (i >= 0 && options[i]) {
      champ.setAttribute('aria-activedescendant', options[i].id);
      options[i].scrollIntoView({ block: 'nearest' });
    } else {
      champ.removeAttribute('aria-activedescendant');
    }
  }

  function choisir(i) {
    var s = suggestions[i];
    if (!s) return;
    champ.value = s.libelle;
    fermer();
    annonce.textContent = s.nom + ' choisie.';
  }

  function afficher(communes) {
    suggestions = communes;
    liste.textContent = '';
    communes.forEach(function (c, i) {
      var option = document.createElement('li');
      option.id = 'commune-suggestion-' + i;
      option.setAttribute('role', 'option');
      option.setAttribute('aria-selected', 'false');
      option.textContent = c.nom + ' ';
      var detail = document.createElement('span');
      detail.className = 'detail';
      detail.textContent = '(' + c.codes_postaux.join(', ') + ' – ' + c.departement_nom + ')';
      option.appendChild(detail);
      option.addEventListener('mousedown', function (e) { e.preventDefault(); });
      option.addEventListener('click', function () { choisir(i); });
      liste.appendChild(option);
    });
    active = -1;
    if (communes.length === 0) {
      fermer();
      annonce.textContent = 'Aucune commune ne correspond.';
      return;
    }
    liste.hidden = false;
    champ.setAttribute('aria-expanded', 'true');
    annonce.textContent = communes.length === 1 ? '1 commune suggérée.' : communes.length + ' communes suggérées.';
  }

  function chercher() {
    var texte = champ.value.trim();
    if (texte.length < 2) { fermer(); return; }
    var numero = ++demande;
    fetch('/annuaire/communes?limite=8&q=' + encodeURIComponent(texte), { headers: { Accept: 'application/json' } })
      .then(function (r) { return r.ok ? r.json() : []; })
      .then(function (communes) { if (numero === demande) afficher(communes); })
      .catch(function () { fermer(); });
  }

  champ.addEventListener('input', function () {
    clearTimeout(minuterie);
    minuterie = setTimeout(chercher, 150);
  });
  champ.addEventListener('keydown', function (e) {
    var ouverte = !liste.hidden && suggestions.length > 0;
    if (e.key === 'ArrowDown') {
      if (!ouverte) { chercher(); return; }
      e.preventDefault();
      activer((active + 1) % suggestions.length);
    } else if (e.key === 'ArrowUp' && ouverte) {
      e.preventDefault();
      activer(active <= 0 ? suggestions.length - 1 : active - 1);
    } else if (e.key === 'Enter' && ouverte && active >= 0) {
      e.preventDefault();
      choisir(active);
    } else if (e.key === 'Escape' && ouverte) {
      e.preventDefault();
      fermer();
    }
  });
  champ.addEventListener('blur', function () { setTimeout(fermer, 100); });
})();
