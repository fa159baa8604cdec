// express-session + connect-redis + node-redis as their READMEs set them up, and a login, a check and a health route.
import { RedisStore } from 'connect-redis';
import express from 'express';
import session from 'express-session';
import { createClient } from 'redis';

const app = express();

// node-redis README: connect, and listen for 'error' (an unhandled one ends the process)
const redisClient = createClient({ url: process.env.REDIS_URL });
redisClient.on('error', (err) => console.error('Redis Client Error', err.message));
redisClient.connect().catch(console.error);

// connect-redis README, "Full setup"
const redisStore = new RedisStore({ client: redisClient, prefix: 'myapp:' });
app.use(
  session({
    store: redisStore,
    resave: false, // required: force lightweight session keep alive (touch)
    saveUninitialized: false, // recommended: only save session when data exists
    secret: process.env.SESSION_SECRET ?? 'keyboard cat',
  }),
);

app.get('/healthz', (req, res) => {
  res.send('ok');
});

// express-session README, "User login"
app.get('/', (req, res) => {
  if (req.session.user) res.send(`hello, ${encodeURIComponent(req.session.user)}! <a href="/logout">Logout</a>`);
  else res.send('<form action="/login" method="post"><input name="user"><input name="pass" type="password"></form>');
});

app.post('/login', express.urlencoded({ extended: false }), (req, res, next) => {
  // any user and password is accepted: this example is about where the session lives
  req.session.regenerate((err) => {
    if (err) return next(err);
    req.session.user = req.body.user;
    req.session.save((err) => {
      if (err) return next(err);
      res.redirect('/');
    });
  });
});

// the check: who is logged in, 401 when nobody is
app.get('/me', (req, res) => {
  if (!req.session.user) return res.status(401).json({ error: 'not logged in' });
  res.json({ user: req.session.user });
});

app.post('/logout', (req, res, next) => {
  req.session.user = null;
  req.session.save((err) => {
    if (err) return next(err);
    req.session.regenerate((err) => {
      if (err) return next(err);
      res.redirect('/');
    });
  });
});

const port = Number(process.env.PORT ?? 3000);
app.listen(port, process.env.HOST ?? '127.0.0.1', () => console.log(`listening on ${port}`));
