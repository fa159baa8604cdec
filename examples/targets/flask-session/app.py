# Flask with Flask-Session on Redis (SESSION_TYPE = 'redis'), set up as the Flask-Session docs show, and a login, a check,
# a logout and a health route.
import os

import redis
from flask import Flask, jsonify, redirect, request, session
from flask_session import Session

app = Flask(__name__)
SESSION_TYPE = 'redis'
SESSION_REDIS = redis.from_url(os.environ['REDIS_URL'])
app.config.from_object(__name__)
Session(app)


@app.route('/healthz')
def healthz():
    return 'ok'


@app.route('/')
def index():
    if 'user' in session:
        return f'hello, {session["user"]}! <a href="/logout">Logout</a>'
    return '<form action="/login" method="post"><input name="user"><input name="pass" type="password"></form>'


@app.route('/login', methods=['POST'])
def login():
    # any user and password is accepted: this example is about where the session lives
    session['user'] = request.form['user']
    return redirect('/')


@app.route('/me')
def me():
    if 'user' not in session:
        return jsonify(error='not logged in'), 401
    return jsonify(user=session['user'])


@app.route('/logout', methods=['POST'])
def logout():
    session.pop('user', None)
    return redirect('/')
