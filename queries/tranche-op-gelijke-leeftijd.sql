-- id: tranche-op-gelijke-leeftijd
-- titel: De tranches op gelijke leeftijd
-- definitie: Per tranche, na 6, 12, 18 en 24 maanden sinds de start van elke proeftuin: het aantal tot dan aangemelde casussen en het aantal lopende casussen, opgeteld over de proeftuinen van de tranche die die leeftijd hebben bereikt, en het gemiddelde per proeftuin; een leeftijd die nog geen proeftuin van de tranche heeft bereikt, heeft geen rij. Per proeftuin telt het kwartaal met het grootste aantal maanden sinds de start dat niet groter is dan de leeftijd, uit de actuele casussen-levering van de proeftuin.
-- eenheid: casussen
-- teller: cumulatief_aangemeld: casussen met datum_aanmelding <= eind van het gekozen kwartaal; lopend: daarvan niet afgesloten op of voor die dag; opgeteld over de proeftuinen
-- noemer: proeftuinen: gekozen proeftuinen van de tranche die de leeftijd hebben bereikt (gemiddelde = som / proeftuinen)
-- bron: casussen.datum_aanmelding, casussen.datum_afsluiting, ref_proeftuinen.start_datum, ref_proeftuinen.tranche, leveringen.peildatum
-- soort: tabel
-- aantallen: cumulatief_aangemeld, lopend
-- verhoudingen: gemiddeld_aangemeld:/cumulatief_aangemeld, gemiddeld_lopend:/lopend
-- afronden: cumulatief_aangemeld, lopend
-- gemiddelden: gemiddeld_aangemeld=cumulatief_aangemeld/proeftuinen, gemiddeld_lopend=lopend/proeftuinen
--
-- Leeftijd in maanden = maand_sinds_start uit view proeftuin_kwartalen (startmaand = 0, gemeten tot de
-- laatste maand van het kwartaal). Een proeftuin heeft leeftijd L bereikt als haar actuele casussen-levering
-- een kwartaal met maand_sinds_start >= L bevat; dan telt haar kwartaal met de grootste maand_sinds_start <= L
-- (tranche 1, start oktober 2021: L = 6 -> 2022-Q1 (maand 5); L = 12 -> 2022-Q3 (maand 11)).
-- Een rij per tranche en leeftijd die minstens één gekozen proeftuin van de tranche heeft bereikt; geen rij
-- (en dus geen 0) voor een leeftijd die nog geen proeftuin van de tranche heeft bereikt.
-- Gemiddelde op 1 decimaal, half van nul af, exact in gehele getallen: (20 * som + n) // (2 * n) / 10.
-- Geen periodefilter: de leeftijd bepaalt het kwartaal. De aantallen per proeftuin en kwartaal uit
-- kwartaal_tellingen (dashboard/schema.sql), zoals cumulatief-naar-leeftijd.
WITH leeftijden(leeftijd_maanden) AS (
    VALUES (6), (12), (18), (24)
),
kwartalen AS (
    SELECT k.*, max(k.maand_sinds_start) OVER (PARTITION BY k.proeftuin) AS bereikt
    FROM kwartaal_tellingen k
    WHERE ($tranche::INTEGER IS NULL OR k.tranche = $tranche::INTEGER)
      AND (len($proeftuinen::VARCHAR[]) = 0 OR list_contains($proeftuinen::VARCHAR[], k.proeftuin))
),
gekozen_kwartaal AS (
    SELECT l.leeftijd_maanden, k.tranche, k.proeftuin, k.cumulatief_aangemeld, k.lopend,
           row_number() OVER (PARTITION BY l.leeftijd_maanden, k.proeftuin ORDER BY k.maand_sinds_start DESC) AS nr
    FROM kwartalen k
    JOIN leeftijden l ON k.maand_sinds_start <= l.leeftijd_maanden AND k.bereikt >= l.leeftijd_maanden
),
per_tranche AS (
    SELECT leeftijd_maanden, tranche,
           count(*) AS proeftuinen,
           sum(cumulatief_aangemeld) AS aangemeld,
           sum(lopend) AS lopend
    FROM gekozen_kwartaal
    WHERE nr = 1
    GROUP BY leeftijd_maanden, tranche
)
SELECT tranche,
       leeftijd_maanden,
       CAST(proeftuinen AS INTEGER) AS proeftuinen,
       CAST(aangemeld AS INTEGER) AS cumulatief_aangemeld,
       CAST(lopend AS INTEGER) AS lopend,
       ((20 * CAST(aangemeld AS BIGINT) + proeftuinen) // (2 * CAST(proeftuinen AS BIGINT))) / 10 AS gemiddeld_aangemeld,
       ((20 * CAST(lopend AS BIGINT) + proeftuinen) // (2 * CAST(proeftuinen AS BIGINT))) / 10 AS gemiddeld_lopend
FROM per_tranche
ORDER BY tranche, leeftijd_maanden;
