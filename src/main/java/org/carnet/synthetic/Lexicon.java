package org.carnet.synthetic;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The words of everyday life and care that fill the slots of the heavy record's notes: what was eaten, who came,
 * what the weather was, what the physiotherapist had her do. Written by the team for the generator; a note drawn
 * from these says something new most days, as real notes do. Entries are separated by {@code ;}.
 */
final class Lexicon {

    private Lexicon() {}

    static final List<String> STARTERS = words(
            "une soupe de légumes; un potage poireaux-pommes de terre; une salade de tomates; des carottes râpées;"
                    + " un velouté de potiron; une soupe à l'oignon; des betteraves en salade; un bouillon de volaille;"
                    + " une salade de lentilles; un céleri rémoulade; une macédoine; un œuf mayonnaise; des radis;"
                    + " une salade de concombre; un gaspacho; une soupe de poisson; un pâté de campagne;"
                    + " des endives au jambon; une quiche lorraine; une part de tarte aux poireaux; un avocat;"
                    + " une terrine de légumes; des asperges; une salade niçoise; un taboulé; des poireaux vinaigrette");

    static final List<String> MAINS =
            words("du poulet rôti; un filet de cabillaud; du hachis parmentier; une blanquette de veau;"
                    + " un bœuf bourguignon; des pâtes au beurre; du riz et des haricots verts; une omelette;"
                    + " du jambon purée; une escalope de dinde; des lentilles aux saucisses; un pot-au-feu;"
                    + " un gratin de courgettes; des épinards à la crème; du poisson pané; une côte de porc;"
                    + " une tranche de rôti de porc; du saumon à l'oseille; des petits pois carottes;"
                    + " une brandade de morue; des coquillettes au jambon; une choucroute; un couscous;"
                    + " des boulettes à la tomate; un steak haché; des crêpes au fromage; une ratatouille;"
                    + " un gratin dauphinois; du lapin à la moutarde; une tartiflette; des moules;"
                    + " une purée de brocolis; un flan de légumes; des quenelles; un hachis de bœuf;"
                    + " une poêlée de champignons; du foie de veau; une daube provençale; un navarin d'agneau");

    static final List<String> DESSERTS =
            words("une compote de pommes; un yaourt nature; une crème dessert au chocolat; une banane;"
                    + " un fromage blanc; une part de tarte aux pommes; une poire; un flan pâtissier;"
                    + " une mousse au chocolat; un riz au lait; des fraises; une clémentine; un morceau de camembert;"
                    + " une île flottante; une crème caramel; des pruneaux; un petit-suisse; une madeleine;"
                    + " un kiwi; des cerises; une gaufre; un quatre-quarts; une orange; des abricots; du raisin;"
                    + " une semoule au lait; un éclair au café; du comté; une part de galette; un sorbet citron");

    static final List<String> VISITORS =
            words("sa fille; son fils; sa petite-fille; son petit-fils; la voisine; sa belle-fille; son gendre;"
                    + " une amie du club; le curé de la paroisse; sa sœur; son neveu; sa nièce; l'aide-ménagère;"
                    + " l'auxiliaire de vie; la kiné; le pédicure; la coiffeuse; le livreur de repas;"
                    + " une bénévole de l'association; son arrière-petite-fille; le facteur; la pharmacienne");

    static final List<String> PASTIMES = words(
            "regardait un jeu télévisé; faisait des mots croisés; écoutait la radio; lisait le journal local;"
                    + " regardait des photos de famille; tricotait; faisait une réussite aux cartes; somnolait au fauteuil;"
                    + " regardait un feuilleton; écoutait de l'accordéon; triait son courrier; arrosait ses plantes;"
                    + " regardait par la fenêtre; feuilletait un catalogue; téléphonait à sa sœur; écoutait la messe à la radio;"
                    + " faisait un sudoku; pliait du linge; regardait le tour de France; rangeait ses papiers;"
                    + " épluchait des légumes; regardait les informations; écoutait des chansons de Brassens;"
                    + " faisait une partie de scrabble avec sa fille; cherchait ses lunettes; regardait un documentaire animalier");

    static final List<String> WEATHER =
            words("il fait très chaud; temps pluvieux; il gèle ce matin; grand vent; temps orageux; brouillard épais;"
                    + " beau soleil; il neige un peu; temps lourd; froid humide; canicule annoncée; ciel gris;"
                    + " premières gelées; douceur printanière; giboulées");

    static final List<String> SKIN =
            words("peau sèche au niveau des jambes; rougeur du talon droit qui blanchit à la pression;"
                    + " petite dermabrasion de l'avant-bras; ecchymose du dos de la main; plis sous-mammaires irrités;"
                    + " ongles des pieds longs, pédicure prévenue; desquamation des tibias; prurit du dos;"
                    + " cicatrice de l'avant-bras propre; hématome de la cuisse en voie de résorption; lèvres sèches;"
                    + " mycose interdigitale; œdème des chevilles prenant le godet; siège propre et sain;"
                    + " érythème fessier léger; coudes secs; verrue plantaire; chevilles fines");

    static final List<String> MOODS =
            words("souriante; bavarde; ronchon; fatiguée; inquiète pour sa fille; de bonne humeur; un peu triste;"
                    + " agacée par le bruit des travaux; contente de la visite; somnolente; taciturne; enjouée;"
                    + " nostalgique, parle de son mari; plaisante volontiers; anxieuse avant le rendez-vous;"
                    + " impatiente; calme; tendue; moqueuse; reconnaissante; apathique; préoccupée par ses factures");

    static final List<String> CARE =
            words("aide à la toilette au lavabo; douche assise; pose des bas de contention; soin de bouche;"
                    + " préparation du pilulier; vérification des prises de la veille; surveillance du pansement;"
                    + " hydratation de la peau; changement de protection; aide à l'habillage; coupe des ongles des mains;"
                    + " instillation de collyre; prise de tension; glycémie capillaire; injection d'insuline;"
                    + " retrait des bas; rangement de la pharmacie; contrôle du stock de bandelettes;"
                    + " mise au fauteuil; vérification du téléalarme; lavage des cheveux; massage des talons");

    static final List<String> EXERCISES =
            words("transferts assis-debout; marche avec déambulateur dans le couloir; travail de l'équilibre unipodal;"
                    + " renforcement du quadriceps avec lest; montée et descente de marches; pédalier;"
                    + " exercices de relevé du sol; marche avec demi-tour; travail proprioceptif sur mousse;"
                    + " étirements des ischio-jambiers; mobilisation de l'épaule; marche en extérieur;"
                    + " exercices respiratoires; travail de la dorsiflexion de cheville; passage d'obstacles;"
                    + " marche en double tâche; exercices de coordination; gainage assis; ponts fessiers;"
                    + " flexions de hanche contre résistance; travail de la pince fine; lancer de ballon");

    static final List<String> AIDS =
            words("canne simple; canne tripode; déambulateur à roulettes; rollator; fauteuil roulant;"
                    + " barre d'appui; rehausseur de WC; lit médicalisé; chaise percée; téléalarme;"
                    + " planche de bain; enfile-bas; pince de préhension; matelas à air");

    static final List<String> FOODS_ADVICE =
            words("laitages; fromages; œufs; viande hachée; poisson; légumes secs; féculents; fruits frais;"
                    + " compotes; crèmes enrichies; biscuits; pain complet; huile de colza; beurre; céréales;"
                    + " jus de fruits; eau gazeuse; tisanes; soupes épaissies; purées enrichies");

    static final List<String> OTC =
            words("paracétamol; crème émolliente; collyre lubrifiant; macrogol; spray nasal salé;"
                    + " pommade à l'arnica; gel de lidocaïne; vaseline; sirop pour la toux; pastilles pour la gorge;"
                    + " gouttes auriculaires; talc; bain de bouche; crème antifongique; patch chauffant");

    static final List<String> SYMPTOMS_MINOR =
            words("douleur du genou gauche; gêne à la déglutition des comprimés; constipation depuis trois jours;"
                    + " insomnie d'endormissement; sensation de jambes lourdes; démangeaisons du cuir chevelu;"
                    + " larmoiement de l'œil droit; douleur de l'épaule droite; crampes nocturnes des mollets;"
                    + " bouche sèche; ballonnements; toux grasse; rhume; douleur dentaire;"
                    + " vertiges au lever; mal au dos; douleur du pouce; brûlures d'estomac; nez bouché");

    static final List<String> SPOUSE_MEMORIES =
            words("son mari cheminot; la ferme de ses parents; son mariage en 1956; la guerre à la campagne;"
                    + " son métier de couturière; ses vacances en Bretagne; le bal du village; sa maison à la campagne;"
                    + " son premier poste de télévision; l'école communale; ses années à la poste");

    static final List<String> WALKING_AIDS =
            words("canne simple; canne tripode; déambulateur à roulettes; rollator; cadre de marche; canne anglaise;"
                    + " bras de sa fille; appui sur les meubles");

    static final List<String> GARDEN =
            words("les géraniums; les hortensias; les tomates du voisin; le rosier grimpant; les pensées du balcon;"
                    + " le figuier; les fraisiers; le lilas; les bégonias; le potager de son fils; les dahlias;"
                    + " le cerisier; les jonquilles; le laurier-rose; les fuchsias; le basilic; les capucines;"
                    + " le pommier; les pivoines; le muguet; les glycines; le buis; les tulipes; le romarin;"
                    + " la menthe; les courgettes; les haricots; les framboisiers; le noyer; les primevères");

    static final List<String> BIRDS =
            words("les mésanges; un rouge-gorge; les moineaux; un merle; les pigeons; une pie; les tourterelles;"
                    + " les hirondelles; un geai; les étourneaux; un pic-vert; les corneilles; un chardonneret");

    static final List<String> NEWS = words(
            "les élections; le prix du gazole; la réforme des retraites; la météo des vacances; le match de rugby;"
                    + " les inondations dans le Sud; la fermeture de la boulangerie; le marché de Noël; la fête du village;"
                    + " le nouveau maire; les travaux de la rue; la grève des transports; le loto du club;"
                    + " la kermesse de l'école; le prix du pain; les incendies de forêt; la coupe du monde;"
                    + " la brocante de dimanche; le départ du curé; les vendanges; la foire aux bestiaux");

    static final List<String> CLOTHES =
            words("sa robe de chambre; son gilet bleu; ses pantoufles; son châle; sa chemise de nuit; son manteau;"
                    + " ses chaussettes de contention; son tablier; sa veste en laine; ses chaussures fermées;"
                    + " son foulard; sa jupe grise; son pull à col roulé; ses mitaines; son bonnet");

    static final List<String> ROOMS =
            words("la cuisine; le salon; la chambre; la salle de bain; le couloir; l'entrée; la véranda; le balcon;"
                    + " la salle à manger; le jardin; le garage; la buanderie; le palier; la cave");

    static final List<String> FURNITURE =
            words("son fauteuil; le canapé; la table de la cuisine; le buffet; la commode; le lit; la table de chevet;"
                    + " l'armoire; le tabouret; le meuble télé; la desserte; le porte-manteau; le tapis du salon");

    static final List<String> RELATIVES_JOBS = words(
            "boulangère; infirmière; professeur; chauffeur routier; comptable; agricultrice; coiffeuse; mécanicien;"
                    + " secrétaire; électricien; pharmacienne; gendarme; facteur; institutrice; plombier; vendeuse;"
                    + " ingénieur; aide-soignante; menuisier; caissière; pompier; informaticien; jardinier");

    static final List<String> ACUTE_DRUGS =
            words("amoxicilline; pristinamycine; fosfomycine; nitrofurantoïne; prednisolone; tramadol; codéine;"
                    + " lopéramide; dompéridone; oméprazole; ésoméprazole; alginate; phloroglucinol; cétirizine;"
                    + " desloratadine; hydroxyzine; zopiclone; lactulose; sulfate ferreux; cholécalciférol;"
                    + " acide folique; colchicine; diclofénac gel; miconazole; éconazole; fusidique crème;"
                    + " chlorhexidine; povidone iodée; héparine calcique; vitamine B12; magnésium; potassium");

    static final List<String> COMPLAINTS =
            words("a du mal à ouvrir les bocaux; trouve les journées longues; n'aime pas la nouvelle aide-ménagère;"
                    + " s'inquiète pour son chat; se plaint du bruit des voisins; trouve que le temps passe vite;"
                    + " regrette de ne plus conduire; voudrait retourner à la messe; a peur des cambriolages;"
                    + " attend le passage du coiffeur; se demande si sa fille viendra dimanche;"
                    + " trouve la soupe trop salée; réclame son journal; cherche sa télécommande;"
                    + " dit qu'elle a mal dormi à cause de l'orage; veut changer de pantoufles;"
                    + " s'inquiète des factures d'électricité; voudrait repeindre ses volets");

    static final List<String> PETS =
            words("son chat Minou; la chatte Caramel; son vieux chien Filou; le canari; le poisson rouge;"
                    + " le chat du voisin; la chienne Vanille; le perroquet de sa fille");

    static final List<String> DRINKS =
            words("un grand verre d'eau; une tisane de verveine; un café au lait; un bol de chocolat; un jus d'orange;"
                    + " une infusion de tilleul; de l'eau gazeuse; un thé; un verre de lait; une soupe chaude;"
                    + " un jus de pomme; de l'eau aromatisée");

    private static List<String> words(String list) {
        return Arrays.stream(list.split(";")).map(String::strip).toList();
    }

    static String any(List<String> words, SplittableRandom random) {
        return words.get(random.nextInt(words.size()));
    }
}
