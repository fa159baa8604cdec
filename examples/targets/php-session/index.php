<?php
// PHP's native sessions stored by php-redis (session.save_handler=redis, set on the php -S command line): a router with
// login, check, logout and health routes.
$path = parse_url($_SERVER['REQUEST_URI'], PHP_URL_PATH);
$method = $_SERVER['REQUEST_METHOD'];

if ($path === '/healthz') {
    echo "ok\n";
    return;
}

session_start();

if ($path === '/login' && $method === 'POST') {
    // any user and password is accepted: this example is about where the session lives
    session_regenerate_id(true); // the manual's advice on login, against session fixation
    $_SESSION['user'] = $_POST['user'] ?? '';
    header('Location: /'); // 302
    return;
}

if ($path === '/me') {
    header('Content-Type: application/json');
    if (!isset($_SESSION['user'])) {
        http_response_code(401);
        echo json_encode(['error' => 'not logged in']);
        return;
    }
    echo json_encode(['user' => $_SESSION['user']]);
    return;
}

if ($path === '/logout' && $method === 'POST') {
    $_SESSION = [];
    session_destroy();
    header('Location: /');
    return;
}

if ($path === '/') {
    if (isset($_SESSION['user'])) {
        echo 'hello, ' . htmlspecialchars($_SESSION['user']) . '! <a href="/logout">Logout</a>';
    } else {
        echo '<form action="/login" method="post"><input name="user"><input name="pass" type="password"></form>';
    }
    return;
}

http_response_code(404);
echo "not found\n";
