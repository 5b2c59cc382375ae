-- wrk script: POST /api/v1/calculs/aip with one subsidy case and the token of PARENTALITE_JETON.
wrk.method = "POST"
wrk.body = '{"dispositif":"aip","exercice":2024,"etp_declares":"1","etp_notifies":"1","mois_fonctionnement":8,"depenses_fonctionnement":"40000"}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("PARENTALITE_JETON")
