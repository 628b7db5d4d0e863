-- id: netwerkdossier-per-tranche
-- titel: Netwerkdossier en inzage van het gezin bij lopende casussen, per tranche
-- definitie: Per tranche en kwartaal, onder de casussen die op de laatste dag van het kwartaal lopen in de gekozen proeftuinen van de tranche: het percentage met netwerkdossier = ja van de lopende casussen waarbij netwerkdossier is ingevuld, en het percentage met gezin_inzage = ja van de lopende casussen waarbij gezin_inzage is ingevuld; tellers en noemers opgeteld over de proeftuinen, elk uit haar actuele casussen-levering, het percentage daarna opnieuw berekend. Bij noemer 0 is de waarde leeg.
-- eenheid: %
-- teller: lopend_netwerkdossier: lopende casussen met netwerkdossier = ja; lopend_gezin_inzage: lopende casussen met gezin_inzage = ja; opgeteld over de proeftuinen van de tranche
-- noemer: lopend_met_netwerkdossier: lopende casussen met netwerkdossier ingevuld; lopend_met_gezin_inzage: lopende casussen met gezin_inzage ingevuld; opgeteld over de proeftuinen van de tranche
-- bron: casussen.datum_aanmelding, casussen.datum_afsluiting, casussen.netwerkdossier, casussen.gezin_inzage, ref_proeftuinen.tranche, ref_proeftuinen.start_datum, leveringen.peildatum
-- soort: figuur
-- aantallen: lopend_met_netwerkdossier, lopend_netwerkdossier, lopend_met_gezin_inzage, lopend_gezin_inzage
-- verhoudingen: pct_netwerkdossier:lopend_netwerkdossier/lopend_met_netwerkdossier, pct_gezin_inzage:lopend_gezin_inzage/lopend_met_gezin_inzage
-- periode: rijen
-- afronden: lopend_met_netwerkdossier, lopend_netwerkdossier, lopend_met_gezin_inzage, lopend_gezin_inzage
--
-- De som van netwerkdossier-per-kwartaal per tranche en kwartaal (zoals instroom-per-tranche): een kwartaal
-- staat erin als het voor minstens één gekozen proeftuin van de tranche tussen startkwartaal en peildatum ligt.
-- proeftuinen = aantal proeftuinen dat in dat kwartaal meetelt. Geen groepen voor aanvullende afscherming:
-- er wordt geen som over de tranches getoond (wel groepen tranche+kwartaal in netwerkdossier-per-kwartaal).
-- De aantallen per proeftuin uit kwartaal_tellingen (dashboard/schema.sql).
-- pct = 100 * teller / noemer, 1 decimaal, half van nul af, exact: (2000 * t + n) // (2 * n) / 10.
WITH per_proeftuin AS (
    SELECT k.proeftuin, k.tranche, k.kwartaal,
           k.lopend_met_netwerkdossier AS met_netwerkdossier,
           k.lopend_netwerkdossier AS netwerkdossier,
           k.lopend_met_gezin_inzage AS met_gezin_inzage,
           k.lopend_gezin_inzage AS gezin_inzage
    FROM kwartaal_tellingen k
    WHERE ($tranche::INTEGER IS NULL OR k.tranche = $tranche::INTEGER)
      AND (len($proeftuinen::VARCHAR[]) = 0 OR list_contains($proeftuinen::VARCHAR[], k.proeftuin))
      AND ($van::DATE IS NULL OR k.kwartaal_start >= $van::DATE)
      AND ($tot::DATE IS NULL OR k.kwartaal_eind <= $tot::DATE)
),
telling AS (
    SELECT tranche, kwartaal,
           count(*) AS proeftuinen,
           sum(met_netwerkdossier) AS met_netwerkdossier,
           sum(netwerkdossier) AS netwerkdossier,
           sum(met_gezin_inzage) AS met_gezin_inzage,
           sum(gezin_inzage) AS gezin_inzage
    FROM per_proeftuin
    GROUP BY tranche, kwartaal
)
SELECT tranche,
       kwartaal,
       CAST(proeftuinen AS INTEGER) AS proeftuinen,
       CAST(met_netwerkdossier AS INTEGER) AS lopend_met_netwerkdossier,
       CAST(netwerkdossier AS INTEGER) AS lopend_netwerkdossier,
       CAST(met_gezin_inzage AS INTEGER) AS lopend_met_gezin_inzage,
       CAST(gezin_inzage AS INTEGER) AS lopend_gezin_inzage,
       CASE WHEN met_netwerkdossier > 0
            THEN ((2000 * CAST(netwerkdossier AS BIGINT) + met_netwerkdossier)
                  // (2 * CAST(met_netwerkdossier AS BIGINT))) / 10
       END AS pct_netwerkdossier,
       CASE WHEN met_gezin_inzage > 0
            THEN ((2000 * CAST(gezin_inzage AS BIGINT) + met_gezin_inzage)
                  // (2 * CAST(met_gezin_inzage AS BIGINT))) / 10
       END AS pct_gezin_inzage
FROM telling
ORDER BY tranche, kwartaal;
