/* password_blocklist.h — private to password.c: common, breached and
 * trivially guessable passwords, written for recam (the most used passwords
 * world-wide, keyboard walks, and Japanese romaji words and names). Entries
 * are lower-case; password.c also compares the password with its trailing
 * digits and symbols removed, so "Sakura2024!" meets "sakura". */
#ifndef RECAM_PASSWORD_BLOCKLIST_H
#define RECAM_PASSWORD_BLOCKLIST_H

static const char *const pw_blocklist[] = {
	/* The most common passwords. */
	"password", "passw0rd", "p@ssw0rd", "p@ssword", "pa55word", "pass", "passwd", "passpass", "password1",
	"password12", "password123", "mypassword", "newpassword", "secret", "secret123", "topsecret",
	"letmein", "letmein1", "welcome", "welcome1", "welcome123", "login", "admin", "admin123", "administrator",
	"root", "toor", "user", "guest", "default", "changeme", "change", "test", "test123", "testing", "tester",
	"demo", "master", "hello", "hello123", "helloworld", "iloveyou", "iloveyou1", "loveyou", "lovely", "love",
	"trustno1", "whatever", "nothing", "freedom", "sunshine", "shadow", "monkey", "dragon", "football",
	"baseball", "soccer", "basketball", "hockey", "superman", "batman", "spiderman", "starwars", "pokemon",
	"princess", "charlie", "michael", "jennifer", "jordan", "jordan23", "hunter", "hunter2", "ranger",
	"buster", "tigger", "ginger", "pepper", "summer", "winter", "spring", "autumn", "flower", "cookie",
	"cheese", "chocolate", "banana", "orange", "apple", "computer", "internet", "google", "facebook",
	"samsung", "iphone", "mustang", "ferrari", "corvette", "harley", "yankees", "liverpool", "chelsea",
	"arsenal", "killer", "matrix", "ninja", "pussy", "fuckyou", "asshole", "access", "access14", "blink182",
	"qwerty123", "abc123", "abcd1234", "abcdef", "abcdefg", "abcdefgh", "abcdefghij", "abc", "aaaaaa",
	"a1b2c3", "a1b2c3d4", "1q2w3e", "1q2w3e4r", "1q2w3e4r5t", "1qaz2wsx", "1qaz2wsx3edc", "zaq12wsx",
	"q1w2e3r4", "q1w2e3r4t5", "zaq1zaq1", "1234qwer", "qwer1234", "asdf1234", "zxcv1234", "passport",
	"michelle", "jessica", "ashley", "nicole", "daniel", "andrew", "joshua", "thomas", "robert", "william",
	"anthony", "matthew", "maggie", "bailey", "buddy", "snoopy", "mickey", "minnie", "donald", "garfield",
	"hellokitty", "kitty", "doraemon", "totoro", "pikachu", "naruto", "sasuke", "goku", "onepiece", "luffy",
	"gundam", "zelda", "mario", "nintendo", "playstation", "xbox", "minecraft", "fortnite", "letmein123",
	"princess1", "sunshine1", "superstar", "rockstar", "silver", "golden", "diamond", "money", "richard",
	"qazwsx", "qazwsxedc", "trustme", "forever", "blessed", "angel", "angels", "heaven", "family",
	"friends", "friend", "purple", "yellow", "orange1", "chicken", "naughty", "azerty", "solo", "loveme",
	"starwars1", "whatever1", "security", "recam", "receipt", "campaign", "company", "office", "staff",
	/* Digits and keyboard walks. */
	"123456", "1234567", "12345678", "123456789", "1234567890", "12345", "1234", "123123", "123321",
	"654321", "987654321", "0987654321", "111111", "000000", "121212", "112233", "123qwe", "123abc",
	"159753", "147258369", "741852963", "789456123", "456789", "11111111", "88888888", "12341234",
	"qwerty", "qwertyu", "qwertyui", "qwertyuiop", "qwertz", "asdf", "asdfgh", "asdfghjk", "asdfghjkl",
	"zxcvbn", "zxcvbnm", "qweasd", "qweasdzxc", "qazxsw", "1qazxsw2", "poiuytrewq", "lkjhgfdsa", "mnbvcxz",
	"asdasd", "qweqwe", "zxczxc", "aaaaaaaa", "abcabc", "abcd", "pass1234", "password!", "qwerty1",
	/* Japanese: romaji words, greetings and names often used as passwords. */
	"sakura", "sakurasaku", "arigatou", "arigato", "arigatougozaimasu", "konnichiwa", "konichiwa",
	"konbanwa", "ohayou", "ohayo", "sayonara", "daisuki", "aishiteru", "suki", "kawaii", "kirei",
	"himitsu", "anshou", "pasuwado", "pasuwaado", "nihon", "nippon", "japan", "tokyo", "osaka", "kyoto",
	"nagoya", "yokohama", "fukuoka", "sapporo", "kobe", "okinawa", "hokkaido", "fujisan", "fuji",
	"doraemon1", "anpanman", "ultraman", "kamen", "kamenrider", "ganbare", "ganbatte", "genki", "tanoshii",
	"yoroshiku", "sumimasen", "gomennasai", "oyasumi", "otsukare", "otsukaresama", "kanpai", "banzai",
	"neko", "nekoneko", "inu", "inuinu", "usagi", "tanuki", "kitsune", "ringo", "mikan", "momo", "ichigo",
	"sushi", "ramen", "tempura", "onigiri", "matcha", "sake", "tamago", "gohan", "umeboshi", "hanabi",
	"hanako", "taro", "tarou", "jiro", "ichiro", "hiroshi", "takashi", "yuki", "yukiko", "yuka", "yuko",
	"yumi", "akiko", "keiko", "naoko", "tomoko", "kumiko", "kazuki", "daiki", "haruka", "hikari", "hinata",
	"sora", "shota", "shouta", "takuya", "kenji", "satoshi", "makoto", "yamada", "tanaka", "suzuki",
	"sato", "satou", "takahashi", "watanabe", "ito", "itou", "nakamura", "kobayashi", "kato", "katou",
	"yamamoto", "sasaki", "yamaguchi", "matsumoto", "inoue", "kimura", "hayashi", "shimizu", "tsubasa",
	"samurai", "ninja1", "shogun", "sakana", "hoshi", "tsuki", "taiyou", "umi", "yama", "kaze", "hana",
	"midori", "aoi", "akai", "shiro", "kuro", "kokoro", "yume", "ai", "koi", "tomodachi", "kazoku",
	"shiawase", "ganbaro", "doki", "nyan", "nyannyan", "wanwan", "pokemon1", "totoro1", "jibun", "watashi",
	"boku", "ore", "kaisha", "shigoto", "kanri", "kanrisha", "shain", "tenpo", "uriage", "reshito",
	"kyanpen", "chusen", "touroku", "oubo", "kaiin",
};

#endif
